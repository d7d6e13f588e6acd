package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/** No store holds a chunk the index needs. */
public class ChunkNotFoundException extends IOException {
    private final ChunkId id;

    public ChunkNotFoundException(ChunkId id, String message) {
        super(message);
        this.id = id;
    }

    public ChunkId id() {
        return id;
    }
}
