package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replicas of one store, used one at a time (desync's {@code FailoverGroup}): requests go to the
 * active replica; when it fails outright, the next one becomes active and the request is
 * repeated there. All replicas are assumed to hold the same chunks, so a chunk missing from the
 * active one is missing, full stop (a {@link StoreRouter} looks further).
 */
public final class FailoverStore implements ReadStore {
    private final List<ReadStore> replicas;
    private final AtomicInteger active = new AtomicInteger();

    public FailoverStore(List<? extends ReadStore> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("a failover group needs at least one store");
        }
        this.replicas = List.copyOf(replicas);
    }

    private interface Request<T> {
        T send(ReadStore store) throws IOException;
    }

    /** Sends the request to the active replica, failing over to the next ones in turn. */
    private <T> T send(Request<T> request) throws IOException {
        int first = active.get();
        IOException failure = null;
        for (int i = 0; i < replicas.size(); i++) {
            int k = (first + i) % replicas.size();
            try {
                T answer = request.send(replicas.get(k));
                if (i > 0) {
                    active.compareAndSet(first, k);
                }
                return answer;
            } catch (InterruptedIOException | CorruptChunkException e) {
                throw e;
            } catch (IOException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw new StoreUnavailableException(
                "every store of " + location() + " failed; the last: " + failure.getMessage(), failure);
    }

    /** The replica requests go to now. */
    public ReadStore active() {
        return replicas.get(active.get());
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        return send(s -> s.get(id));
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id, int size) throws IOException {
        return send(s -> s.get(id, size));
    }

    @Override
    public boolean has(ChunkId id) throws IOException {
        return send(s -> s.has(id));
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        return send(s -> s.sizeOf(id));
    }

    @Override
    public int refetchesOnCorruption() {
        return active().refetchesOnCorruption();
    }

    @Override
    public boolean isRemote() {
        return replicas.stream().anyMatch(ReadStore::isRemote);
    }

    /** The replicas' locations joined with '|', as desync writes a failover group. */
    @Override
    public String location() {
        StringBuilder sb = new StringBuilder();
        for (ReadStore s : replicas) {
            sb.append(sb.length() == 0 ? "" : "|").append(s.location());
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        Stores.closeAll(replicas);
    }

    @Override
    public String toString() {
        return "failover group " + location();
    }
}
