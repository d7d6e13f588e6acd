package dev.jcasync.make;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSplitter;
import dev.jcasync.chunker.ParallelSplitter;
import dev.jcasync.chunker.PositionalInput;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Parallel;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
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
import java.util.function.IntPredicate;

/**
 * Chunks a blob, names every chunk by its digest and puts the new ones into a store, producing
 * the blob index, in one pass over the input on all cores: boundaries are found by the reading
 * thread (a stream) or by several threads (a file, {@link ParallelSplitter}), and the calling
 * thread fills batches of chunks in order; worker threads hash, compress and store them while a thread of its
 * own hashes the whole blob in order. A fixed number of batch buffers circulate, so memory does
 * not grow with the input.
 */
public final class BlobMaker {
    private static final int BATCH_BYTES = 4 << 20;

    private final MakeOptions options;

    public BlobMaker(MakeOptions options) {
        this.options = options;
    }

    /** Reads {@code in} to its end, putting new chunks into {@code store} (null: only compute the index). */
    public MakeResult make(ReadableByteChannel in, ChunkStore store) throws IOException {
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger reused = new AtomicInteger();
        ChunkWriter writer = store == null ? null : new ChunkWriter(store);
        ChunkSink sink = writer == null
                ? null
                : (id, data, offset, length, position) -> (writer.putIfAbsent(
                                        id, data, offset, length, options.compression())
                                ? stored
                                : reused)
                        .incrementAndGet();
        Run run = new Run(sink, null, options.sizes().max());
        BlobIndex index = run.chunk(in);
        return new MakeResult(index, ChunkId.of(run.blobDigest.digest()), stored.get(), reused.get());
    }

    /**
     * Chunks {@code in} to find out what it holds, handing each distinct chunk whose size passes
     * {@code sizeWanted} to {@code sink} while its bytes are at hand (seeding uses this to copy
     * chunks in the same pass). A chunk of a size no target chunk has cannot be one of them, so it
     * is not even hashed, nor copied. No index, no blob digest. {@code largestWanted}: no size above
     * it passes {@code sizeWanted}; batches are sized from it, not from the index header's max.
     */
    public void scan(ReadableByteChannel in, IntPredicate sizeWanted, int largestWanted, ChunkSink sink)
            throws IOException {
        new Run(sink, sizeWanted, largestWanted).chunk(in);
    }

    /** The state of one pass over a blob. */
    private final class Run {
        private final ChunkSink sink;
        private final ExecutorService workers = daemonPool(options.concurrency(), "jcasync-make");
        /** Null in a full run: every chunk is named, the index kept and the whole blob hashed. */
        private final IntPredicate scanOnly;

        private final ExecutorService blobHasher;
        private final MessageDigest blobDigest = options.digest().newDigest();
        private final Set<ChunkId> handled = ConcurrentHashMap.newKeySet();
        private final List<IndexEntry> entries = new ArrayList<>();
        private final ArrayDeque<ChunkBatch> free = new ArrayDeque<>();
        private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        private final int maxInFlight = options.concurrency() + 2;
        private final int batchCapacity;
        /** The longest chunk whose bytes are needed: a scan follows longer ones without keeping them. */
        private final int largestChunk;

        private ChunkBatch current;

        Run(ChunkSink sink, IntPredicate scanOnly, int largestChunk) {
            this.sink = sink;
            this.scanOnly = scanOnly;
            this.batchCapacity = Math.max(BATCH_BYTES, largestChunk);
            this.largestChunk = largestChunk;
            this.blobHasher = scanOnly == null ? daemonPool(1, "jcasync-blob-digest") : null;
        }

        BlobIndex chunk(ReadableByteChannel in) throws IOException {
            try {
                PositionalInput seekable = scanOnly == null ? seekable(in) : null;
                if (seekable != null) {
                    // Each piece's chunks become a batch in the piece's own buffer, given back when done.
                    new ParallelSplitter(options.sizes(), options.concurrency()).splitPieces(seekable, piece -> {
                        awaitRoom();
                        submit(new ChunkBatch(piece));
                    });
                } else {
                    current = newBatch(0);
                    ChunkSplitter.ChunkConsumer each = (offset, buffer, start, length) -> {
                        if (scanOnly != null && (buffer == null || !scanOnly.test(length))) {
                            return; // cannot be a chunk the caller wants
                        }
                        if (!current.fits(length)) {
                            submit(current);
                            current = newBatch(offset);
                        }
                        current.add(buffer, start, length, offset);
                    };
                    ChunkSplitter splitter = new ChunkSplitter(options.sizes());
                    if (scanOnly != null) {
                        splitter.split(in, largestChunk, each); // memory follows the wanted sizes, not the index's max
                    } else {
                        splitter.split(in, each);
                    }
                    if (current.count > 0) {
                        submit(current);
                    }
                }
                while (!inFlight.isEmpty()) {
                    complete(inFlight.poll());
                }
            } finally {
                workers.shutdownNow();
                if (blobHasher != null) {
                    blobHasher.shutdownNow();
                }
            }
            return new BlobIndex(options.featureFlags().value(), options.sizes(), entries);
        }

        private void awaitRoom() throws IOException {
            while (inFlight.size() >= maxInFlight) {
                complete(inFlight.poll());
            }
        }

        private ChunkBatch newBatch(long offset) throws IOException {
            awaitRoom();
            ChunkBatch b = free.isEmpty() ? new ChunkBatch(batchCapacity) : free.poll();
            b.reset(offset);
            return b;
        }

        private void submit(ChunkBatch batch) {
            CompletableFuture<Void> named = CompletableFuture.runAsync(() -> nameAndSink(batch), workers);
            if (blobHasher != null) {
                CompletableFuture<Void> hashed = CompletableFuture.runAsync(
                        () -> blobDigest.update(batch.data, batch.dataStart, batch.used - batch.dataStart), blobHasher);
                named = CompletableFuture.allOf(named, hashed);
            }
            inFlight.add(new Pending(batch, named));
        }

        private void complete(Pending p) throws IOException {
            p.await();
            if (scanOnly == null) {
                p.batch.appendEntries(entries);
            }
            if (p.batch.release != null) {
                p.batch.release.run();
            } else {
                free.add(p.batch);
            }
        }

        private void nameAndSink(ChunkBatch batch) {
            for (int i = 0; i < batch.count; i++) {
                if (scanOnly != null && !scanOnly.test(batch.lengths[i])) {
                    continue;
                }
                ChunkId id = options.digest().digest(batch.data, batch.starts[i], batch.lengths[i]);
                batch.ids[i] = id;
                if (sink != null && handled.add(id)) {
                    try {
                        sink.accept(id, batch.data, batch.starts[i], batch.lengths[i], batch.offsets[i]);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }

    /**
     * A file's bytes from the channel's position to its end, chunked in parallel; null for a
     * stream (stdin, a pipe) or anything whose size the channel does not know (it says 0), which
     * is read sequentially to its end.
     */
    private static PositionalInput seekable(ReadableByteChannel in) throws IOException {
        if (in instanceof FileChannel file) {
            PositionalInput input = PositionalInput.of(file);
            return input.size() > 0 ? input : null;
        }
        return null;
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
                Parallel.rethrow(e.getCause());
            }
        }
    }
}
