package dev.jcasync.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jcasync.chunker.ChunkSizes;

/**
 * Fuzz target for the index reader (docs/fuzzing.md). Arbitrary bytes either parse to an index
 * that is consistent and re-encodes to exactly those bytes, or fail with {@link
 * InvalidIndexException}; anything else (another exception, an error, a hang) is a finding. The
 * regression inputs in {@code IndexReaderFuzzTestInputs/parse} run in every build.
 */
class IndexReaderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        BlobIndex index;
        try {
            index = IndexReader.parse(data, "fuzz.caibx");
        } catch (InvalidIndexException e) {
            assertTrue(e.getMessage().startsWith("fuzz.caibx: "), e.getMessage());
            return;
        }
        // The table is all there is: its size follows from the file's, not from any field in it.
        assertEquals(
                IndexFormat.FIXED_SIZE + IndexFormat.ITEM_SIZE * index.entries().size(), data.length);
        ChunkSizes sizes = index.sizes();
        assertTrue(1 <= sizes.min() && sizes.min() <= sizes.avg() && sizes.avg() <= sizes.max());
        assertTrue(sizes.max() <= ChunkSizes.LIMIT);
        long offset = 0;
        for (IndexEntry e : index.entries()) {
            assertEquals(offset, e.offset(), "entries are contiguous from 0");
            assertTrue(e.size() >= 1 && e.size() <= sizes.max(), "entry size within the header's max");
            offset = e.end();
            assertTrue(offset > 0, "no overflow past 2^63");
        }
        assertEquals(offset, index.blobSize());
        assertArrayEquals(data, IndexWriter.toBytes(index), "a parsed index re-encodes to its bytes");
    }
}
