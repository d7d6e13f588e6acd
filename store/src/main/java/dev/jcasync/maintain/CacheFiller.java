package dev.jcasync.maintain;

import dev.jcasync.io.Parallel;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.Compression;
import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Prefills a local store (a cache) with every chunk some indexes need, fetched from other stores
 * and verified (desync's {@code cache}). Chunk files are kept as the source has them, or
 * re-encoded in one format (lz4 for a cache that is read often from a slow device).
 */
public final class CacheFiller {
    /** What a fill did, in distinct chunks; {@code transferred}: bytes of chunk files read from remote stores. */
    public record Result(int present, int fetched, long transferred) {}

    /** One chunk some index needs, and the digest its id is computed with. */
    private record Needed(IndexEntry entry, DigestAlgorithm digest) {}

    private final List<ChunkStore> sources;
    private final ChunkStore cache;
    private final Compression compression;
    private final int threads;

    /** {@code compression}: the format of the cache's files, or null to keep the source's. */
    public CacheFiller(List<ChunkStore> sources, ChunkStore cache, Compression compression, int threads) {
        this.sources = List.copyOf(sources);
        this.cache = cache;
        this.compression = compression;
        this.threads = Math.max(1, threads);
    }

    public Result fill(List<BlobIndex> indexes) throws IOException {
        Map<ChunkId, Needed> needed = new LinkedHashMap<>();
        Map<DigestAlgorithm, ChunkReader> readers = new EnumMap<>(DigestAlgorithm.class);
        for (BlobIndex index : indexes) {
            readers.computeIfAbsent(index.digest(), d -> new ChunkReader(sources, d));
            for (IndexEntry e : index.entries()) {
                needed.putIfAbsent(e.id(), new Needed(e, index.digest()));
            }
        }
        AtomicInteger present = new AtomicInteger();
        AtomicInteger fetched = new AtomicInteger();
        LongAdder transferred = new LongAdder();
        Parallel.forEach(needed.values().iterator(), threads, n -> {
            IndexEntry e = n.entry();
            if (cache.has(e.id())) {
                present.incrementAndGet();
                return;
            }
            ChunkReader.Fetched got = readers.get(n.digest()).fetch(e.id(), e.size());
            if (got.store().isRemote()) {
                transferred.add(got.file().bytes().length);
            }
            cache.put(e.id(), inCacheFormat(got));
            fetched.incrementAndGet();
        });
        return new Result(present.get(), fetched.get(), transferred.sum());
    }

    private ChunkFile inCacheFormat(ChunkReader.Fetched got) throws IOException {
        if (compression == null || Compression.of(got.file()) == compression) {
            return got.file();
        }
        return ChunkCodec.encode(got.data(), 0, got.data().length, compression);
    }
}
