package dev.jcasync.make;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/**
 * Receives each distinct chunk of a blob being chunked, once, on a worker thread (so it must be
 * thread-safe). The bytes are valid only during the call.
 */
@FunctionalInterface
public interface ChunkSink {
    /** The chunk {@code id} is {@code data[offset, offset + length)}, found at {@code position} in the blob. */
    void accept(ChunkId id, byte[] data, int offset, int length, long position) throws IOException;
}
