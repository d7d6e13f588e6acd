package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/** A chunk file that does not decode to data with its id (or the size the index says). */
public class CorruptChunkException extends IOException {
    private final ChunkId id;

    public CorruptChunkException(ChunkId id, String message) {
        super(message);
        this.id = id;
    }

    public ChunkId id() {
        return id;
    }
}
