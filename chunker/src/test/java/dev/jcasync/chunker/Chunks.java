package dev.jcasync.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.index.IndexEntry;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;

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

    /**
     * Splits {@code data} with {@link ParallelSplitter} on {@code threads} threads, pieces starting
     * where {@code nextPieceStart} says, checking that the chunks tile the input and that each
     * chunk's bytes are the input's at its offset.
     */
    public static List<IndexEntry> splitParallel(
            ChunkSizes sizes, DigestAlgorithm digest, byte[] data, int threads, LongUnaryOperator nextPieceStart)
            throws IOException {
        List<IndexEntry> chunks = new ArrayList<>();
        long total = new ParallelSplitter(sizes, threads)
                .split(PositionalInput.of(data), nextPieceStart, (offset, buffer, start, length) -> {
                    long expectedOffset =
                            chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).end();
                    assertEquals(expectedOffset, offset, "chunk offsets must be contiguous");
                    int at = Math.toIntExact(offset);
                    if (!Arrays.equals(buffer, start, start + length, data, at, at + length)) {
                        fail("chunk at " + offset + " handed over with bytes other than the input's");
                    }
                    chunks.add(new IndexEntry(offset, length, digest.digest(buffer, start, length)));
                });
        assertEquals(data.length, total, "split() must return the bytes chunked");
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
