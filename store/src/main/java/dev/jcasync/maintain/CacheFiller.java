package dev.jcasync.maintain;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Parallel;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkWriter;
import dev.jcasync.store.Compression;
import dev.jcasync.store.Fetched;
import dev.jcasync.store.ReadStore;
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
 * re-encoded in one format (lz4 for a cache that is read often from a slow device). Chunks the
 * cache holds already are not read, only marked in use (see {@link ChunkWriter}).
 */
public final class CacheFiller {
    /** What a fill did, in distinct chunks; {@code transferred}: bytes of chunk files read from remote stores. */
    public record Result(int present, int fetched, long transferred) {}

    /** One chunk some index needs, and the digest its id is computed with. */
    private record Needed(IndexEntry entry, DigestAlgorithm digest) {}

    private final List<ReadStore> sources;
    private final ChunkStore cache;
    private final Compression compression;
    private final int threads;

    /** {@code compression}: the format of the cache's files, or null to keep the source's. */
    public CacheFiller(List<? extends ReadStore> sources, ChunkStore cache, Compression compression, int threads) {
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
            for (IndexEntry e : index.distinctEntries()) {
                needed.putIfAbsent(e.id(), new Needed(e, index.digest()));
            }
        }
        ChunkWriter writer = new ChunkWriter(cache);
        AtomicInteger present = new AtomicInteger();
        AtomicInteger fetched = new AtomicInteger();
        LongAdder transferred = new LongAdder();
        Parallel.forEach(needed.values().iterator(), threads, n -> {
            IndexEntry e = n.entry();
            boolean stored = writer.putIfAbsent(e.id(), () -> {
                Fetched got = readers.get(n.digest()).fetch(e.id(), e.size());
                if (got.store().isRemote()) {
                    transferred.add(got.file().bytes().length);
                }
                return ChunkCodec.inFormat(got.file(), got.data(), compression);
            });
            (stored ? fetched : present).incrementAndGet();
        });
        return new Result(present.get(), fetched.get(), transferred.sum());
    }
}
