package dev.jcasync.index;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import java.util.List;

/** The content of a {@code .caibx} file: chunk size parameters, feature flags and the chunk list. */
public record BlobIndex(long featureFlags, ChunkSizes sizes, List<IndexEntry> entries) {
    /** Feature flag bit: chunk ids are SHA-512/256 (clear: SHA-256). */
    public static final long FLAG_SHA512_256 = FeatureFlags.SHA512_256;

    public BlobIndex {
        entries = List.copyOf(entries);
    }

    /**
     * The feature flags casync writes for a blob index with this digest and no other option
     * (EXCLUDE_NODUMP | EXCLUDE_FILE, plus the digest bit); see {@link FeatureFlags.Selection} for the rest.
     */
    public static long featureFlagsFor(DigestAlgorithm digest) {
        return FeatureFlags.BLOB_DEFAULT.withDigest(digest).value();
    }

    public DigestAlgorithm digest() {
        return (featureFlags & FLAG_SHA512_256) != 0 ? DigestAlgorithm.SHA512_256 : DigestAlgorithm.SHA256;
    }

    public long blobSize() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
    }
}
