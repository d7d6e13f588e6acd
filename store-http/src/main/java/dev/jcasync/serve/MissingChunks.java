package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/**
 * What a {@link ChunkServer} asks when a chunk file it is to serve is not in its store directory:
 * put it there, if it can be had. The server then serves the file as any other (or 404).
 */
public interface MissingChunks {
    /**
     * Puts chunk {@code id} into the served store, as a compressed ({@code .cacnk}) or raw file as
     * {@code compressed} says, if it can be had. Only a verified chunk is ever stored, atomically.
     *
     * @return false if the chunk is not to be had (the answer is then 404)
     * @throws IOException if it could not be fetched, or every copy was corrupt: nothing was stored
     */
    boolean fetch(ChunkId id, boolean compressed) throws IOException;
}
