package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;

/**
 * A store whose transfers (chunk files fetched or uploaded) are paced to at most a given number of
 * bytes per second on average, as casync's {@code --rate-limit-bps}. Stores that share one
 * {@link Limit} share the budget. A transfer is never split: a chunk file larger than a second's
 * budget goes through and the following ones wait for the time it used up.
 */
public final class RateLimitedStore implements ChunkStore {
    /**
     * A token bucket: {@code bytesPerSecond} refill, holding at most one second's worth, so an
     * idle period allows a burst of one second of transfer and no more.
     */
    public static final class Limit {
        private final long bytesPerSecond;
        /** When the bytes taken so far will have been paid for at the rate. */
        private long paidUntilNanos;

        public Limit(long bytesPerSecond) {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException(
                        "rate limit must be more than 0 bytes per second, got " + bytesPerSecond);
            }
            this.bytesPerSecond = bytesPerSecond;
            this.paidUntilNanos = System.nanoTime() - 1_000_000_000L;
        }

        public long bytesPerSecond() {
            return bytesPerSecond;
        }

        /** Accounts for {@code bytes} transferred, sleeping until the rate allows them. */
        public void take(long bytes) throws InterruptedIOException {
            long wakeAt;
            synchronized (this) {
                long now = System.nanoTime();
                long cost = (long) (bytes * 1e9 / bytesPerSecond);
                // At most one second of unused budget carries over.
                paidUntilNanos = Math.max(paidUntilNanos, now - 1_000_000_000L) + cost;
                wakeAt = paidUntilNanos;
            }
            long wait = wakeAt - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while rate limited");
                }
            }
        }
    }

    private final ChunkStore store;
    private final Limit limit;

    private RateLimitedStore(ChunkStore store, Limit limit) {
        this.store = store;
        this.limit = limit;
    }

    /** {@code store} paced by {@code limit} if it is remote (casync limits remote communication only); else {@code store}. */
    public static ChunkStore of(ChunkStore store, Limit limit) {
        return limit != null && store.isRemote() ? new RateLimitedStore(store, limit) : store;
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        return get(id, -1);
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id, int size) throws IOException {
        Optional<ChunkFile> file = store.get(id, size);
        if (file.isPresent()) {
            limit.take(file.get().bytes().length);
        }
        return file;
    }

    @Override
    public boolean has(ChunkId id) throws IOException {
        return store.has(id);
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        return store.sizeOf(id);
    }

    @Override
    public void put(ChunkId id, ChunkFile file) throws IOException {
        limit.take(file.bytes().length);
        store.put(id, file);
    }

    @Override
    public int refetchesOnCorruption() {
        return store.refetchesOnCorruption();
    }

    @Override
    public boolean isRemote() {
        return store.isRemote();
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public void close() throws IOException {
        store.close();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
