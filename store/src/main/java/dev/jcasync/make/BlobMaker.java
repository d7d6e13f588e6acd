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
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chunks a blob, names every chunk by its digest and puts the new ones into a store, producing
 * the blob index, in one pass over the input on all cores: the reading thread finds boundaries
 * and fills batches of chunks; worker threads hash, compress and store them while a thread of its
 * own hashes the whole blob in order. A fixed number of batch buffers circulate, so memory does
 * not grow with the input.
 */
public final class BlobMaker {
    private static final int BATCH_BYTES = 4 << 20;

    private final MakeOptions options;

    public BlobMaker(MakeOptions options) {
        this.options = options;
    }

    /** Reads {@code in} to its end. {@code store} may be null to only compute the index. */
    public MakeResult make(ReadableByteChannel in, ChunkStore store) throws IOException {
        return new Run(store).make(in);
    }

    /** The state of one make. */
    private final class Run {
        private final ChunkStore store;
        private final ExecutorService workers = daemonPool(options.concurrency(), "jcasync-make");
        private final ExecutorService blobHasher = daemonPool(1, "jcasync-blob-digest");
        private final MessageDigest blobDigest = options.digest().newDigest();
        private final Set<ChunkId> handled = ConcurrentHashMap.newKeySet();
        private final AtomicInteger stored = new AtomicInteger();
        private final AtomicInteger reused = new AtomicInteger();
        private final List<IndexEntry> entries = new ArrayList<>();
        private final ArrayDeque<ChunkBatch> free = new ArrayDeque<>();
        private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        private final int maxInFlight = options.concurrency() + 2;
        private final int batchCapacity = Math.max(BATCH_BYTES, options.sizes().max());
        private ChunkBatch current;

        Run(ChunkStore store) {
            this.store = store;
        }

        MakeResult make(ReadableByteChannel in) throws IOException {
            try {
                current = newBatch(0);
                new ChunkSplitter(options.sizes()).split(in, (offset, buffer, start, length) -> {
                    if (!current.fits(length)) {
                        submit(current);
                        current = newBatch(offset);
                    }
                    current.add(buffer, start, length);
                });
                if (current.count > 0) {
                    submit(current);
                }
                while (!inFlight.isEmpty()) {
                    complete(inFlight.poll());
                }
            } finally {
                workers.shutdownNow();
                blobHasher.shutdownNow();
            }
            BlobIndex index = new BlobIndex(BlobIndex.featureFlagsFor(options.digest()), options.sizes(), entries);
            return new MakeResult(index, ChunkId.of(blobDigest.digest()), stored.get(), reused.get());
        }

        private ChunkBatch newBatch(long offset) throws IOException {
            while (inFlight.size() >= maxInFlight) {
                complete(inFlight.poll());
            }
            ChunkBatch b = free.isEmpty() ? new ChunkBatch(batchCapacity) : free.poll();
            b.reset(offset);
            return b;
        }

        private void submit(ChunkBatch batch) {
            CompletableFuture<Void> named = CompletableFuture.runAsync(() -> nameAndStore(batch), workers);
            CompletableFuture<Void> hashed = CompletableFuture.runAsync(() -> blobDigest.update(batch.data, 0, batch.used), blobHasher);
            inFlight.add(new Pending(batch, CompletableFuture.allOf(named, hashed)));
        }

        private void complete(Pending p) throws IOException {
            p.await();
            p.batch.appendEntries(entries);
            free.add(p.batch);
        }

        private void nameAndStore(ChunkBatch batch) {
            for (int i = 0; i < batch.count; i++) {
                ChunkId id = options.digest().digest(batch.data, batch.starts[i], batch.lengths[i]);
                batch.ids[i] = id;
                if (store != null && handled.add(id)) {
                    storeChunk(id, batch.data, batch.starts[i], batch.lengths[i]);
                }
            }
        }

        private void storeChunk(ChunkId id, byte[] data, int start, int length) {
            try {
                if (store.has(id)) {
                    reused.incrementAndGet();
                } else {
                    store.put(id, ChunkCodec.encode(data, start, length, options.compression()));
                    stored.incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static ExecutorService daemonPool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    private record Pending(ChunkBatch batch, CompletableFuture<Void> done) {
        void await() throws IOException {
            try {
                done.get();
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
