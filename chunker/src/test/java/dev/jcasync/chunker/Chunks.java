package dev.jcasync.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.index.IndexEntry;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;

/** Test helpers around {@link ChunkSplitter}: chunk lists as {@link IndexEntry} (start, size, id). */
public final class Chunks {
    private Chunks() {}

    /** Splits everything {@code in} delivers, checking that the chunks tile the input. */
    public static List<IndexEntry> split(ChunkSizes sizes, DigestAlgorithm digest, ReadableByteChannel in)
            throws IOException {
        List<IndexEntry> chunks = new ArrayList<>();
        long total = new ChunkSplitter(sizes).split(in, (offset, buffer, start, length) -> {
            long expectedOffset =
                    chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).end();
            assertEquals(expectedOffset, offset, "chunk offsets must be contiguous");
            chunks.add(new IndexEntry(offset, length, digest.digest(buffer, start, length)));
        });
        assertEquals(
                chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).end(),
                total,
                "split() must return the bytes chunked");
        return chunks;
    }

    public static List<IndexEntry> split(ChunkSizes sizes, byte[] data) throws IOException {
        return split(sizes, DigestAlgorithm.SHA512_256, ByteArrayChannel.whole(data));
    }

    /** The exclusive end offsets of the chunks. */
    public static List<Long> ends(List<IndexEntry> chunks) {
        return chunks.stream().map(IndexEntry::end).toList();
    }

    /** Like assertEquals on the lists, but reports the first differing chunk instead of two huge lists. */
    public static void assertSameChunks(List<IndexEntry> expected, List<IndexEntry> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail("chunk " + i + " differs: expected " + expected.get(i) + ", got " + actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), "number of chunks");
    }
}
