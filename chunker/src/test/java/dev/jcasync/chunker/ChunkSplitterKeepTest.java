package dev.jcasync.chunker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Splitting while keeping only short chunks finds exactly the boundaries a split with every chunk
 * in memory finds, with chunks far longer than its buffer (zero runs, fixed sizes, a min above the
 * buffer), whatever the channel's read sizes.
 */
class ChunkSplitterKeepTest {
    private record Cut(long offset, int length, byte[] bytes) {}

    private static List<Cut> split(byte[] data, ChunkSizes sizes, int keep, long readSeed) throws IOException {
        List<Cut> cuts = new ArrayList<>();
        ChunkSplitter.ChunkConsumer sink = (offset, buffer, start, length) -> cuts.add(
                new Cut(offset, length, buffer == null ? null : Arrays.copyOfRange(buffer, start, start + length)));
        ChunkSplitter splitter = new ChunkSplitter(sizes);
        if (keep < 0) {
            splitter.split(ByteArrayChannel.whole(data), sink);
        } else {
            splitter.split(ByteArrayChannel.randomReads(data, readSeed, 3 << 20), keep, sink);
        }
        return cuts;
    }

    private static void sameCuts(byte[] data, ChunkSizes sizes) throws IOException {
        List<Cut> all = split(data, sizes, -1, 0);
        for (int keep : new int[] {4096, 1 << 20}) {
            List<Cut> kept = split(data, sizes, keep, keep);
            assertEquals(all.size(), kept.size(), sizes + " keep " + keep);
            boolean dropped = false;
            for (int i = 0; i < all.size(); i++) {
                assertEquals(all.get(i).offset(), kept.get(i).offset(), sizes + " chunk " + i);
                assertEquals(all.get(i).length(), kept.get(i).length(), sizes + " chunk " + i);
                if (kept.get(i).bytes() != null) {
                    assertArrayEquals(all.get(i).bytes(), kept.get(i).bytes());
                } else {
                    dropped = true;
                    assertTrue(kept.get(i).length() > keep, "only chunks longer than keep are dropped");
                }
                if (all.get(i).length() > (4 << 20) * 2) {
                    assertNull(kept.get(i).bytes());
                }
            }
            assertTrue(dropped, "some chunk was too long to keep: " + sizes);
        }
    }

    private static byte[] sample() {
        // Random stretches with long zero runs between them (no cut inside a zero run).
        return TestData.concat(
                TestData.random(1, 3 << 20),
                new byte[9 << 20],
                TestData.random(2, 5 << 20),
                new byte[(17 << 20) + 5],
                TestData.random(3, (2 << 20) + 77),
                new byte[123],
                TestData.random(4, 1000));
    }

    @Test
    void contentDefinedWithLongZeroRuns() throws IOException {
        sameCuts(sample(), new ChunkSizes(1024, 4096, 12 << 20));
    }

    @Test
    void fixedSizeLargerThanTheBuffer() throws IOException {
        sameCuts(sample(), new ChunkSizes(6 << 20, 6 << 20, 6 << 20));
    }

    @Test
    void minimumLargerThanTheBuffer() throws IOException {
        sameCuts(sample(), new ChunkSizes(5 << 20, 6 << 20, 10 << 20));
    }
}
