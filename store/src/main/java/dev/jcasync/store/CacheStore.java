package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A write-through cache in front of other stores (desync's {@code Cache}): chunks are read from
 * the cache first; one the cache lacks (or holds corrupt) is read from the wrapped stores,
 * verified, and kept in the cache (a corrupt cache file is replaced). Lookups follow the {@link StoreRouter} rules over the cache
 * and then the wrapped stores, so errors name them all.
 */
public final class CacheStore implements ChunkSource {
    private final ChunkStore cache;
    private final StoreRouter reads;
    private final Compression format;

    /** Keeps chunk files in the cache as the wrapped stores have them. */
    public CacheStore(ChunkStore cache, ReadStore origin, ChunkVerifier verifier) {
        this(cache, origin, verifier, null);
    }

    /** {@code format}: the format of the cache's files (lz4 for a cache read often from a slow device), or null to keep the source's. */
    public CacheStore(ChunkStore cache, ReadStore origin, ChunkVerifier verifier, Compression format) {
        this.cache = cache;
        List<ReadStore> all = new ArrayList<>();
        all.add(cache);
        all.add(origin);
        this.reads = new StoreRouter(all, verifier);
        this.format = format;
    }

    /** The verified chunk; one that did not come from the cache is now in it too. */
    @Override
    public Fetched fetch(ChunkId id, int size) throws IOException {
        Fetched got = reads.fetch(id, size);
        if (got.store() != cache) {
            ChunkFile keep = ChunkCodec.inFormat(got.file(), got.data(), format); // verified, so safe to keep
            if (cache instanceof MaintainableStore m && m.has(id)) {
                // The cache holds a file for the chunk, yet the lookup went past it: it is corrupt.
                // Replaced (atomically) by the verified copy, not left to fail every later run; a bad
                // file in the other form goes too (the lookup passed over both).
                boolean other = !keep.compressed();
                m.remove(new StoreFile(ChunkLayout.path(id, other), id, other));
                m.write(id, keep);
            } else {
                cache.put(id, keep);
            }
        }
        return got;
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        try {
            return Optional.of(fetch(id, -1).file());
        } catch (ChunkNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean has(ChunkId id) throws IOException {
        return reads.has(id);
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        return reads.sizeOf(id);
    }

    /** The cache, then the wrapped stores. */
    @Override
    public List<ReadStore> stores() {
        return reads.stores();
    }

    @Override
    public boolean isRemote() {
        return reads.isRemote();
    }

    @Override
    public String location() {
        return reads.location();
    }

    /** Closes the cache and the wrapped stores. */
    @Override
    public void close() throws IOException {
        reads.close();
    }

    @Override
    public String toString() {
        return "cache " + cache.location() + " in front of " + reads.location();
    }
}
