package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.util.Optional;

/**
 * How a writer (make, chop, cache) uses a local store so that a concurrent prune cannot pull a
 * chunk from under it: every chunk the writer finds already present is {@link LocalStore#touch
 * touched}, and every chunk it stores is new, so both are younger than a prune that started
 * before; prune deletes only files older than its start. A writer reuses a chunk only after
 * {@code has} said yes, which is exactly when the touch happened.
 */
public final class WriterStore implements ChunkStore {
    private final LocalStore store;

    private WriterStore(LocalStore store) {
        this.store = store;
    }

    /** {@code store} as a writer should use it: local stores are wrapped, others returned as they are. */
    public static ChunkStore of(ChunkStore store) {
        return store instanceof LocalStore local ? new WriterStore(local) : store;
    }

    @Override
    public boolean has(ChunkId id) throws IOException {
        return store.touch(id);
    }

    /** Stores the chunk unless present (then it is touched): one look, not one here and one in the store. */
    @Override
    public void put(ChunkId id, ChunkFile file) throws IOException {
        if (!store.touch(id)) {
            store.write(id, file);
        }
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        return store.get(id);
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        return store.sizeOf(id);
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
