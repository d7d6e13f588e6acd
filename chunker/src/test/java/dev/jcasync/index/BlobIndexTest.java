package dev.jcasync.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobIndexTest {
    private static final ChunkId A = DigestAlgorithm.SHA512_256.digest(new byte[] {1});
    private static final ChunkId B = DigestAlgorithm.SHA512_256.digest(new byte[] {2});
    private static final ChunkId C = DigestAlgorithm.SHA512_256.digest(new byte[] {3});

    /** B A B C A: three distinct chunks, B first. */
    private static BlobIndex index() {
        List<IndexEntry> entries = new ArrayList<>();
        long offset = 0;
        for (ChunkId id : List.of(B, A, B, C, A)) {
            entries.add(new IndexEntry(offset, 100, id));
            offset += 100;
        }
        return new BlobIndex(
                BlobIndex.featureFlagsFor(DigestAlgorithm.SHA512_256), ChunkSizes.of(64, 100, 256), entries);
    }

    @Test
    void distinctChunksInOrderOfFirstAppearance() {
        BlobIndex index = index();
        assertEquals(List.of(B, A, C), List.copyOf(index.distinctIds()));
        List<IndexEntry> first = index.distinctEntries();
        assertEquals(
                List.of(0L, 100L, 300L), first.stream().map(IndexEntry::offset).toList());
        assertEquals(List.of(B, A, C), first.stream().map(IndexEntry::id).toList());
    }

    @Test
    void entriesGroupedByChunk() {
        Map<ChunkId, List<IndexEntry>> byId = index().entriesById();
        assertEquals(List.of(B, A, C), List.copyOf(byId.keySet()));
        assertEquals(
                List.of(0L, 200L), byId.get(B).stream().map(IndexEntry::offset).toList());
        assertEquals(
                List.of(100L, 400L),
                byId.get(A).stream().map(IndexEntry::offset).toList());
        assertEquals(List.of(300L), byId.get(C).stream().map(IndexEntry::offset).toList());
        assertThrows(UnsupportedOperationException.class, () -> byId.get(C).clear());
    }

    @Test
    void emptyIndexHasNoChunks() {
        BlobIndex empty = new BlobIndex(0, ChunkSizes.of(64, 100, 256), List.of());
        assertEquals(List.of(), empty.distinctEntries());
        assertEquals(0, empty.distinctIds().size());
        assertEquals(Map.of(), empty.entriesById());
    }
}
