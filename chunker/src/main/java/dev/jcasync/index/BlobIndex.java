package dev.jcasync.index;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * The first entry of every distinct chunk, in index order: what a store must hold for this
     * blob, each chunk once.
     */
    public List<IndexEntry> distinctEntries() {
        Map<ChunkId, IndexEntry> first = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            first.putIfAbsent(e.id(), e);
        }
        return List.copyOf(first.values());
    }

    /** The ids of the distinct chunks, in order of first appearance. */
    public Set<ChunkId> distinctIds() {
        Map<ChunkId, Boolean> ids = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            ids.putIfAbsent(e.id(), Boolean.TRUE);
        }
        return Collections.unmodifiableSet(ids.keySet());
    }

    /** Every entry, grouped by chunk: the chunks in order of first appearance, each with its places in index order. */
    public Map<ChunkId, List<IndexEntry>> entriesById() {
        Map<ChunkId, List<IndexEntry>> places = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            places.computeIfAbsent(e.id(), k -> new ArrayList<>(1)).add(e);
        }
        places.replaceAll((id, list) -> Collections.unmodifiableList(list));
        return Collections.unmodifiableMap(places);
    }
}
