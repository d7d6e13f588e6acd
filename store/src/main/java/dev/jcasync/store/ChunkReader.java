package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import java.io.IOException;
import java.util.List;

/**
 * Reads verified chunks for one index: the decompressed bytes must have the size the index gives
 * and hash to the chunk's id. The rules of where a chunk is looked for (in order, corrupt copies
 * and failed stores passed over) are {@link StoreRouter}'s; with a cache, {@link CacheStore}'s.
 */
public final class ChunkReader {
    private final ChunkSource source;

    /** Reads from {@code stores} in order; chunk ids are {@code digest}'s. */
    public ChunkReader(List<? extends ReadStore> stores, DigestAlgorithm digest) {
        this(new StoreRouter(stores, ChunkVerifier.of(digest)));
    }

    /** Reads from any source of verified chunks. */
    public ChunkReader(ChunkSource source) {
        this.source = source;
    }

    /**
     * Reads from {@code cache} first, then from {@code stores} in order, keeping every chunk
     * fetched from those in the cache. A null {@code cache} is none.
     */
    public static ChunkReader withCache(ChunkStore cache, List<? extends ReadStore> stores, DigestAlgorithm digest) {
        if (cache == null) {
            return new ChunkReader(stores, digest);
        }
        ChunkVerifier verifier = ChunkVerifier.of(digest);
        return new ChunkReader(new CacheStore(cache, new StoreRouter(stores, verifier), verifier));
    }

    /** The stores read from, in lookup order (a cache first). */
    public List<ReadStore> stores() {
        return source.stores();
    }

    /** The verified bytes of chunk {@code id}, which the index says is {@code size} bytes long. */
    public byte[] read(ChunkId id, int size) throws IOException {
        return fetch(id, size).data();
    }

    /**
     * Like {@link #read}, also telling which store served the chunk and in what form.
     *
     * @throws ChunkNotFoundException if no store holds it
     * @throws CorruptChunkException if every copy found is corrupt
     * @throws StoreUnavailableException if a store failed and no other had the chunk
     */
    public Fetched fetch(ChunkId id, int size) throws IOException {
        return source.fetch(id, size);
    }
}
