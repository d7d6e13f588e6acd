package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.Closeable;
import java.io.IOException;

/**
 * A place chunk files are stored (desync's {@code WriteStore}). Writers that want a chunk stored
 * only if absent, with a present one kept safe from a concurrent prune, use {@link ChunkWriter}.
 */
public interface WriteStore extends Closeable {
    /** Stores a chunk file (the caller vouches that it holds the chunk with this id); a no-op if present. */
    void put(ChunkId id, ChunkFile file) throws IOException;

    /** Where the store is, for messages. */
    String location();
}
