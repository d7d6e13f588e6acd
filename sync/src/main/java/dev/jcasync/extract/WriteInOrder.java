package dev.jcasync.extract;

import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Parallel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A stream's whole content, strictly in index order, while chunks are obtained in parallel: the
 * chunks of the next window of the output (at most {@value #WINDOW_BYTES} bytes) are fetched ahead
 * (so memory stays bounded however large the image), each written when its turn comes. A chunk that occurs again
 * is taken from the first occurrence's fetch while that is in the window, else from a
 * {@link RepeatStash}; zero chunks are written as zeros.
 */
final class WriteInOrder implements Step {
    /** Bytes of the output fetched ahead of the write position, at most. */
    static final long WINDOW_BYTES = 64L << 20;
    /** Chunks kept for a later place, in memory; past this they go to a temporary file. */
    static final long STASH_MEMORY_BYTES = 32L << 20;

    private final StreamOutput out;
    private final ChunkSupplier sources;
    private final long windowBytes;
    private final long stashMemoryBytes;

    WriteInOrder(StreamOutput out, ChunkSupplier sources, long windowBytes, long stashMemoryBytes) {
        this.out = out;
        this.sources = sources;
        this.windowBytes = windowBytes;
        this.stashMemoryBytes = stashMemoryBytes;
    }

    /** One place of the output, waiting for its bytes. */
    private record Slot(IndexEntry place, Need need, Future<ByteBuffer> data) {}

    /** How far one chunk has come: places scheduled, and its first fetch until that is written. */
    private static final class Progress {
        int scheduled;
        Future<ByteBuffer> fetching;
    }

    @Override
    public void run(Extraction job) throws IOException {
        List<IndexEntry> places = job.index.entries();
        Map<Need, Progress> progress = new IdentityHashMap<>();
        ArrayDeque<Slot> window = new ArrayDeque<>();
        ExecutorService fetchers = Executors.newFixedThreadPool(job.options.concurrency(), r -> {
            Thread t = new Thread(r, "jcasync-fetch");
            t.setDaemon(true);
            return t;
        });
        try (RepeatStash stash = new RepeatStash(stashMemoryBytes)) {
            long ahead = 0;
            int next = 0;
            while (next < places.size() || !window.isEmpty()) {
                while (next < places.size()
                        && (window.isEmpty() || ahead + places.get(next).size() <= windowBytes)) {
                    IndexEntry place = places.get(next++);
                    Need need = job.needs.get(place.id());
                    window.add(new Slot(
                            place,
                            need,
                            schedule(job, need, progress.computeIfAbsent(need, n -> new Progress()), stash, fetchers)));
                    ahead += place.size();
                }
                Slot slot = window.poll();
                ByteBuffer data = await(slot.data());
                out.write(data.duplicate());
                ahead -= slot.place().size();
                job.options.progress().accept(slot.place().size());
                Progress p = progress.get(slot.need());
                if (p.fetching
                        == slot.data()) { // the first place of this chunk: keep it if a place further on needs it
                    p.fetching = null;
                    if (p.scheduled < slot.need().places.size() && !slot.need().zero) {
                        stash.put(slot.need().id, data);
                    }
                }
            }
        } finally {
            fetchers.shutdownNow();
        }
    }

    /** The bytes for the next place of {@code need}: its first fetch (started here), or a copy already had. */
    private Future<ByteBuffer> schedule(
            Extraction job, Need need, Progress p, RepeatStash stash, ExecutorService fetchers) throws IOException {
        p.scheduled++;
        if (need.claim()) {
            p.fetching = need.zero
                    ? CompletableFuture.completedFuture(sources.supply(need))
                    : fetchers.submit(() -> sources.supply(need));
            return p.fetching;
        }
        job.tallies.repeated(need, 1);
        if (p.fetching != null) {
            return p.fetching; // the first place is still in the window
        }
        if (need.zero) {
            return CompletableFuture.completedFuture(Sources.zeroBytes(need.size));
        }
        ByteBuffer kept = stash.get(need.id, need.size);
        if (p.scheduled == need.places.size()) {
            stash.remove(need.id);
        }
        return CompletableFuture.completedFuture(kept);
    }

    private static ByteBuffer await(Future<ByteBuffer> data) throws IOException {
        try {
            return data.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Parallel.rethrow(e.getCause());
            throw new IllegalStateException(e);
        }
    }
}
