package dev.jcasync.store;

import java.io.IOException;

/**
 * A store that is read from and written to: what {@code --store} opens (see {@link Stores}).
 * Implementations must be safe for concurrent use and must never expose a partially written chunk.
 */
public interface ChunkStore extends ReadStore, WriteStore {
    @Override
    default void close() throws IOException {}
}
