package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.util.List;

/** A store that returns only verified chunks: {@link StoreRouter}, {@link CacheStore}. */
public interface ChunkSource extends ReadStore {
    /**
     * The verified chunk {@code id}, which the index says is {@code size} bytes long (-1: unknown).
     *
     * @throws ChunkNotFoundException if no store holds it
     * @throws CorruptChunkException if every copy found is corrupt (the last one is named)
     * @throws StoreUnavailableException if a store failed and no other had the chunk
     */
    Fetched fetch(ChunkId id, int size) throws IOException;

    /** The stores read from, in lookup order (wrapped stores replaced by what they wrap). */
    List<ReadStore> stores();
}
