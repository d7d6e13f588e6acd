package dev.jcasync.chunker;

import static dev.jcasync.chunker.Chunks.assertSameChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.index.IndexEntry;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ParallelSplitter} cuts exactly where the sequential {@link ChunkSplitter} cuts, wherever pieces start. */
class ParallelSplitterTest {
    private static final ChunkSizes[] SIZES = {
        new ChunkSizes(64, 256, 1024),
        new ChunkSizes(16, 64, 256),
        new ChunkSizes(1024, 2048, 8192),
        new ChunkSizes(1000, 1000, 1000), // fixed: no hashing at all
        new ChunkSizes(4000, 4096, 4200), // min close to max: most cuts forced
        new ChunkSizes(48, 48, 200),
    };

    /** Random data with long zero runs, repeats and short random stretches. */
    private static byte[] mixedInput(Random random, int size) {
        byte[] data = new byte[size];
        int at = 0;
        while (at < size) {
            int run = Math.min(size - at, 1 + random.nextInt(random.nextBoolean() ? 200 : 20_000));
            switch (random.nextInt(4)) {
                case 0 -> {} // zeros: only max-size cuts inside
                case 1 -> {
                    byte[] part = new byte[run];
                    random.nextBytes(part);
                    System.arraycopy(part, 0, data, at, run);
                }
                case 2 -> {
                    if (at > 0) { // a repeat of earlier bytes
                        int from = random.nextInt(at);
                        run = Math.min(run, at - from);
                        System.arraycopy(data, from, data, at, run);
                    }
                }
                default -> java.util.Arrays.fill(data, at, at + run, (byte) random.nextInt(256));
            }
            at += run;
        }
        return data;
    }

    /** Pieces of random lengths: 1 byte, below min, around max, or several max. */
    private static LongUnaryOperator randomPieces(Random random, ChunkSizes sizes) {
        return start -> start
                + switch (random.nextInt(5)) {
                    case 0 -> 1 + random.nextInt(3);
                    case 1 -> 1 + random.nextInt(sizes.min());
                    case 2 -> sizes.max() - 2 + random.nextInt(5);
                    case 3 -> 1 + random.nextInt(4 * sizes.max());
                    default -> 1 + random.nextInt(40 * sizes.max());
                };
    }

    @Test
    void randomInputsAndRandomPiecesCutLikeTheSequentialChunker() throws IOException {
        Random random = new Random(20261130);
        for (int round = 0; round < 300; round++) {
            ChunkSizes sizes = SIZES[round % SIZES.length];
            int size = random.nextInt(8) == 0 ? random.nextInt(3 * sizes.max()) : random.nextInt(200_000);
            byte[] data = mixedInput(random, size);
            List<IndexEntry> expected = Chunks.split(sizes, data);
            int threads = 1 + random.nextInt(8);
            // A fresh Random per call order is not needed: the walk asks for piece starts on one thread.
            List<IndexEntry> actual =
                    Chunks.splitParallel(sizes, DigestAlgorithm.SHA512_256, data, threads, randomPieces(random, sizes));
            assertSameChunks(expected, actual);
        }
    }

    @Test
    void zeroRunsCutOnlyAtMaxAndPiecesNeverResynchroniseEarly() throws IOException {
        ChunkSizes sizes = new ChunkSizes(64, 256, 1024);
        byte[] data = new byte[50 * 1024 + 37]; // all zeros: every cut is forced at max
        for (long piece : new long[] {1000, 1023, 1025, 4096 + 3, 7}) {
            List<IndexEntry> actual =
                    Chunks.splitParallel(sizes, DigestAlgorithm.SHA512_256, data, 4, start -> start + piece);
            assertSameChunks(Chunks.split(sizes, data), actual);
            assertTrue(actual.stream().limit(actual.size() - 1).allMatch(e -> e.size() == 1024));
        }
    }

    @Test
    void defaultPiecesOnABigInputMatchAtEveryThreadCount() throws IOException {
        ChunkSizes sizes = new ChunkSizes(1024, 4096, 16384);
        byte[] data = mixedInput(new Random(7), 12 << 20);
        List<IndexEntry> expected = Chunks.split(sizes, data);
        long piece = ParallelSplitter.pieceSize(sizes);
        assertEquals(0, piece % sizes.max());
        for (int threads : new int[] {1, 2, 4, 8}) {
            assertSameChunks(
                    expected,
                    Chunks.splitParallel(sizes, DigestAlgorithm.SHA512_256, data, threads, start -> start + piece));
        }
    }

    @Test
    void piecesHeldByTheConsumerKeepTheirBytes() throws IOException {
        ChunkSizes sizes = new ChunkSizes(64, 256, 1024);
        byte[] data = mixedInput(new Random(11), 300_000);
        List<IndexEntry> expected = Chunks.split(sizes, data);
        List<ParallelSplitter.PieceChunks> held = new java.util.ArrayList<>();
        long total = new ParallelSplitter(sizes, 3, 5000).splitPieces(PositionalInput.of(data), held::add);
        assertEquals(data.length, total);
        // Nothing was released, so no buffer was reused: every chunk's bytes are still the input's.
        int i = 0;
        for (ParallelSplitter.PieceChunks piece : held) {
            assertTrue(piece.count() > 0);
            for (int c = 0; c < piece.count(); c++, i++) {
                IndexEntry e = expected.get(i);
                assertEquals(e.offset(), piece.dataOffset() + piece.start(c), "chunk " + i);
                assertEquals(e.size(), piece.length(c), "chunk " + i);
                int at = (int) e.offset();
                assertTrue(java.util.Arrays.equals(
                        piece.data(), piece.start(c), piece.start(c) + piece.length(c), data, at, at + e.size()));
            }
            piece.release();
        }
        assertEquals(expected.size(), i);
    }

    @Test
    void readsAFileChannelFromItsPosition(@TempDir Path dir) throws IOException {
        ChunkSizes sizes = new ChunkSizes(64, 256, 1024);
        byte[] data = mixedInput(new Random(3), 100_000);
        Path file = Files.write(dir.resolve("blob"), data);
        try (FileChannel channel = FileChannel.open(file)) {
            channel.position(1000);
            byte[] rest = java.util.Arrays.copyOfRange(data, 1000, data.length);
            long[] sum = {0};
            new ParallelSplitter(sizes, 3, 5000).split(PositionalInput.of(channel), (offset, buffer, start, length) -> {
                assertEquals(sum[0], offset);
                sum[0] += length;
            });
            assertEquals(rest.length, sum[0]);
        }
    }

    @Test
    void anInputThatShrinksIsAnError() {
        PositionalInput shrunk = new PositionalInput() {
            @Override
            public long size() {
                return 10_000;
            }

            @Override
            public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
                throw new EOFException("input ended at offset " + position);
            }
        };
        assertThrows(
                EOFException.class,
                () -> new ParallelSplitter(new ChunkSizes(64, 256, 1024), 2, 1000)
                        .split(shrunk, (offset, buffer, start, length) -> {}));
    }

    @Test
    void refusesLongInputsWhenMaxIsBelowTheWindowLikeTheSequentialChunker() {
        ChunkSizes sizes = new ChunkSizes(8, 16, 32);
        byte[] data = new byte[100];
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ParallelSplitter(sizes, 2, 10).split(PositionalInput.of(data), (o, b, s, l) -> {}));
        assertTrue(e.getMessage().contains("below the 48-byte hash window"), e.getMessage());
    }
}
