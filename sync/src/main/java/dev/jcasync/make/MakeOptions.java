package dev.jcasync.make;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.Compression;

/** How {@link BlobMaker} chunks and stores: casync's defaults unless changed. */
public record MakeOptions(ChunkSizes sizes, DigestAlgorithm digest, Compression compression, int concurrency) {
    public static MakeOptions defaults() {
        return new MakeOptions(ChunkSizes.DEFAULT, DigestAlgorithm.SHA512_256, Compression.ZSTD,
                Runtime.getRuntime().availableProcessors());
    }

    public MakeOptions withSizes(ChunkSizes s) {
        return new MakeOptions(s, digest, compression, concurrency);
    }

    public MakeOptions withDigest(DigestAlgorithm d) {
        return new MakeOptions(sizes, d, compression, concurrency);
    }

    public MakeOptions withCompression(Compression c) {
        return new MakeOptions(sizes, digest, c, concurrency);
    }

    public MakeOptions withConcurrency(int n) {
        return new MakeOptions(sizes, digest, compression, Math.max(1, n));
    }
}
