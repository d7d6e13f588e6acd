package dev.jcasync.maintain;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.io.Parallel;
import dev.jcasync.store.ReadStore;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which of a set of chunks one store holds, and the bytes of their files as stored (compressed):
 * what fetching them all would transfer.
 */
public record StoreCoverage(String location, boolean remote, Set<ChunkId> held, long bytes) {
    public StoreCoverage {
        held = Set.copyOf(held);
    }

    public long chunks() {
        return held.size();
    }

    /** Asks {@code store} about every id, {@code threads} at a time (a remote store answers each with a request). */
    public static StoreCoverage of(ReadStore store, Collection<ChunkId> ids, int threads) throws IOException {
        Set<ChunkId> held = ConcurrentHashMap.newKeySet();
        LongAdder bytes = new LongAdder();
        Parallel.forEach(ids.iterator(), threads, id -> {
            long size = store.sizeOf(id);
            if (size >= 0) {
                held.add(id);
                bytes.add(size);
            }
        });
        return new StoreCoverage(store.location(), store.isRemote(), held, bytes.sum());
    }
}
