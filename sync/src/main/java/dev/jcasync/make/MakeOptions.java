package dev.jcasync.make;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.store.Compression;

/**
 * How {@link BlobMaker} chunks and stores: casync's defaults unless changed. {@code features} is the
 * command line's {@code --with/--without} (and exclusion) choice; with {@code digest} it gives the
 * feature-flag word of the index ({@link #featureFlags()}).
 */
public record MakeOptions(
        ChunkSizes sizes,
        DigestAlgorithm digest,
        Compression compression,
        int concurrency,
        FeatureFlags.Selection features) {
    public static MakeOptions defaults() {
        return new MakeOptions(
                ChunkSizes.DEFAULT,
                DigestAlgorithm.SHA512_256,
                Compression.ZSTD,
                Runtime.getRuntime().availableProcessors(),
                FeatureFlags.Selection.DEFAULT);
    }

    public MakeOptions withSizes(ChunkSizes s) {
        return new MakeOptions(s, digest, compression, concurrency, features);
    }

    public MakeOptions withDigest(DigestAlgorithm d) {
        return new MakeOptions(sizes, d, compression, concurrency, features);
    }

    public MakeOptions withCompression(Compression c) {
        return new MakeOptions(sizes, digest, c, concurrency, features);
    }

    public MakeOptions withConcurrency(int n) {
        return new MakeOptions(sizes, digest, compression, Math.max(1, n), features);
    }

    public MakeOptions withFeatures(FeatureFlags.Selection f) {
        return new MakeOptions(sizes, digest, compression, concurrency, f);
    }

    /** The word a blob index made with these options carries, exactly as casync writes it. */
    public FeatureFlags featureFlags() {
        return features.resolve(FeatureFlags.BLOB_DEFAULT_WITH, digest);
    }
}
