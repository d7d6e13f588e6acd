package dev.jcasync.make;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSplitter;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.channels.ReadableByteChannel;

/**
 * Chunks a blob, names every chunk by its digest and puts the new ones into a store, producing
 * the blob index. The reading thread finds boundaries; hashing, compressing and storing run on
 * worker threads, with a bounded number of chunks in flight so memory does not grow with the input.
 */
public final class BlobMaker {
    private final MakeOptions options;

    public BlobMaker(MakeOptions options) {
        this.options = options;
    }

    /**
     * Reads {@code in} to its end. {@code store} may be null to only compute the index.
     */
    public MakeResult make(ReadableByteChannel in, ChunkStore store) throws IOException {
        int workers = options.concurrency();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "jcasync-make");
            t.setDaemon(true);
            return t;
        });
        Set<ChunkId> handled = ConcurrentHashMap.newKeySet();
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger reused = new AtomicInteger();
        List<IndexEntry> entries = new ArrayList<>();
        ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        int maxInFlight = workers * 4;
        MessageDigest blobDigest = options.digest().newDigest();
        try {
            new ChunkSplitter(options.sizes()).split(in, (offset, buffer, start, length) -> {
                blobDigest.update(buffer, start, length);
                byte[] chunk = Arrays.copyOfRange(buffer, start, start + length);
                CompletableFuture<ChunkId> id = CompletableFuture.supplyAsync(() -> {
                    ChunkId chunkId = options.digest().digest(chunk);
                    if (store != null && handled.add(chunkId)) {
                        storeChunk(store, chunkId, chunk, stored, reused);
                    }
                    return chunkId;
                }, pool);
                inFlight.add(new Pending(offset, length, id));
                while (inFlight.size() > maxInFlight) {
                    entries.add(inFlight.poll().await());
                }
            });
            while (!inFlight.isEmpty()) {
                entries.add(inFlight.poll().await());
            }
        } finally {
            pool.shutdownNow();
        }
        BlobIndex index = new BlobIndex(BlobIndex.featureFlagsFor(options.digest()), options.sizes(), entries);
        return new MakeResult(index, ChunkId.of(blobDigest.digest()), stored.get(), reused.get());
    }

    private void storeChunk(ChunkStore store, ChunkId id, byte[] chunk, AtomicInteger stored, AtomicInteger reused) {
        try {
            if (store.has(id)) {
                reused.incrementAndGet();
            } else {
                store.put(id, ChunkCodec.encode(chunk, 0, chunk.length, options.compression()));
                stored.incrementAndGet();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Pending(long offset, int length, CompletableFuture<ChunkId> id) {
        IndexEntry await() throws IOException {
            try {
                return new IndexEntry(offset, length, id.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("make interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof UncheckedIOException u) {
                    throw u.getCause();
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(cause);
            }
        }
    }
}
