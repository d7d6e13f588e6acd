package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/** No store holds a chunk the index needs. */
public class ChunkNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    private final ChunkId id;

    public ChunkNotFoundException(ChunkId id, String message) {
        super(message);
        this.id = id;
    }

    /** The same chunk missing, told with more context (e.g. where it was needed). */
    public ChunkNotFoundException(String message, ChunkNotFoundException cause) {
        super(message, cause);
        this.id = cause.id;
    }

    public ChunkId id() {
        return id;
    }
}
