package dev.jcasync.chunker;

import static dev.jcasync.chunker.Chunks.assertSameChunks;
import static dev.jcasync.chunker.Chunks.ends;
import static dev.jcasync.chunker.Chunks.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.index.IndexEntry;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The boundary rule (docs/format.md 3.3) as implemented by {@link Chunker} and {@link ChunkSplitter}. */
class ChunkerTest {
    /**
     * Random bytes with long runs of zeros and of one repeated byte (forcing cuts at max), larger
     * than ChunkSplitter's 4 MiB buffer so that it has to compact and refill.
     */
    private static final byte[] DATA = mixedData(5 * 1024 * 1024 + 12_345);

    private static byte[] mixedData(int size) {
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        Arrays.fill(data, 1_000_000, 1_700_000, (byte) 0);
        Arrays.fill(data, 3_000_000, 3_020_000, (byte) 0);
        Arrays.fill(data, 4_000_000, 4_300_000, (byte) 0x5a);
        return data;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static Stream<Named<ChunkSizes>> sizes(String... specs) {
        return Arrays.stream(specs).map(spec -> Named.of("--chunk-size=" + spec, ChunkSizes.parse(spec)));
    }

    static Stream<Named<ChunkSizes>> readSizes() {
        return sizes("auto", "64", "1K:2K:8K", "32:32:32", "16K", "47:64:256");
    }

    static Stream<Named<ChunkSizes>> referenceSizes() {
        return Stream.concat(
                readSizes(), sizes("100", "48:64:256", "4096:4096:16384", "60000:64K:256K", "64K:64K:64K"));
    }

    private static int firstTest(ChunkSizes sizes) {
        return Math.max(sizes.min(), Buzhash.WINDOW);
    }

    @ParameterizedTest
    @MethodSource("readSizes")
    void boundariesDoNotDependOnHowTheInputIsRead(ChunkSizes sizes) throws IOException {
        List<IndexEntry> whole = split(sizes, DATA);
        assertSameChunks(whole, split(sizes, DigestAlgorithm.SHA512_256, ByteArrayChannel.randomReads(DATA, 7, 7)));
        assertSameChunks(
                whole, split(sizes, DigestAlgorithm.SHA512_256, ByteArrayChannel.randomReads(DATA, 8, 100_000)));
    }

    @ParameterizedTest
    @MethodSource("referenceSizes")
    void agreesWithTheReferencePseudoCode(ChunkSizes sizes) throws IOException {
        int min = sizes.min();
        int max = sizes.max();
        int l0 = firstTest(sizes);
        int[] lengths = IntStream.of(
                        0,
                        1,
                        47,
                        48,
                        49,
                        min - 1,
                        min,
                        min + 1,
                        l0 - 1,
                        l0,
                        l0 + 1,
                        max - 1,
                        max,
                        max + 1,
                        2 * max + 1,
                        3 * max + 50,
                        1_000_000,
                        DATA.length)
                .filter(n -> n >= 0 && n <= DATA.length)
                .distinct()
                .toArray();
        for (int n : lengths) {
            byte[] data = Arrays.copyOf(DATA, n);
            assertEquals(ReferenceChunker.chunkEnds(data, sizes), ends(split(sizes, data)), "input of " + n + " bytes");
        }
    }

    @ParameterizedTest
    @MethodSource("referenceSizes")
    void chunkSizesStayWithinBounds(ChunkSizes sizes) throws IOException {
        List<IndexEntry> chunks = split(sizes, DATA);
        int lower = sizes.isFixed() ? sizes.max() : firstTest(sizes);
        for (int i = 0; i < chunks.size() - 1; i++) {
            int size = chunks.get(i).size();
            assertTrue(size >= lower && size <= sizes.max(), "chunk " + i + " has " + size + " bytes");
        }
        int last = chunks.get(chunks.size() - 1).size();
        assertTrue(last >= 1 && last <= sizes.max(), "last chunk has " + last + " bytes");
        assertTrue(chunks.stream().anyMatch(c -> c.size() == sizes.max()), "the zero runs force cuts at max");
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "1K:2K:8K"})
    void allZerosCutAtMax(String spec) throws IOException {
        ChunkSizes sizes = ChunkSizes.parse(spec);
        int d = sizes.discriminator();
        assertNotEquals(d - 1, Integer.remainderUnsigned(Buzhash.hash(new byte[Buzhash.WINDOW], 0), d), "precondition");
        int max = sizes.max();
        assertEquals(
                List.of((long) max, 2L * max, 3L * max, 4L * max, 4L * max + 1),
                ends(split(sizes, new byte[4 * max + 1])));
    }

    /** The first test is at L0 = max(min, 48): a matching window right there gives a chunk of exactly L0. */
    @ParameterizedTest
    @ValueSource(strings = {"1K:2K:8K", "47:64:256", "64", "auto"})
    void cutAtTheFirstPossiblePosition(String spec) throws IOException {
        ChunkSizes sizes = ChunkSizes.parse(spec);
        int d = sizes.discriminator();
        byte[] window = IntStream.iterate(0, k -> k + 1)
                .mapToObj(k -> randomBytes(Buzhash.WINDOW, k))
                .filter(w -> Integer.remainderUnsigned(Buzhash.hash(w, 0), d) == d - 1)
                .findFirst()
                .orElseThrow();
        int l0 = firstTest(sizes);
        byte[] data = randomBytes(l0 + 5000, 99);
        System.arraycopy(window, 0, data, l0 - Buzhash.WINDOW, Buzhash.WINDOW);
        assertEquals(l0, split(sizes, data).get(0).size());
    }

    @Test
    void minBelowWindowBehavesLikeMin48() throws IOException {
        assertEquals(
                ends(split(ChunkSizes.parse("48:64:256"), DATA)), ends(split(ChunkSizes.parse("47:64:256"), DATA)));
    }

    @Test
    void maxBelowWindowOnlyWorksForInputsUpToMax() throws IOException {
        ChunkSizes sizes = ChunkSizes.parse("8:16:32");
        assertEquals(List.of(), split(sizes, new byte[0]));
        for (int n : new int[] {1, 30, 32}) {
            assertEquals(List.of((long) n), ends(split(sizes, randomBytes(n, n))), n + " bytes");
        }
        for (int n : new int[] {33, 40, 200_000}) {
            byte[] data = randomBytes(n, n);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> split(sizes, data), n + " bytes");
            assertTrue(e.getMessage().contains("48"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> split(ChunkSizes.parse("11"), randomBytes(100, 1)));
    }

    @Test
    void smallestUsableMaxCutsEvery48Bytes() throws IOException {
        ChunkSizes sizes = ChunkSizes.parse("12"); // 3:12:48
        assertEquals(List.of(48L, 96L, 100L), ends(split(sizes, randomBytes(100, 3))));
    }

    @Test
    void fixedSizeModeAllowsTinyChunks() throws IOException {
        assertEquals(List.of(32L, 64L, 96L, 100L), ends(split(ChunkSizes.parse("32:32:32"), randomBytes(100, 4))));
        assertEquals(List.of(1L, 2L, 3L), ends(split(ChunkSizes.parse("1:1:1"), randomBytes(3, 5))));
    }

    @Test
    void cutAsksForMoreBytesUntilItCanDecide() {
        Chunker chunker = new Chunker(ChunkSizes.DEFAULT);
        int max = ChunkSizes.DEFAULT.max();
        byte[] zeros = new byte[max + 20];
        assertEquals(Chunker.NEED_MORE, chunker.cut(zeros, 0, 100, false));
        assertEquals(100, chunker.cut(zeros, 0, 100, true));
        assertEquals(Chunker.NEED_MORE, chunker.cut(zeros, 0, max - 1, false));
        assertEquals(max - 1, chunker.cut(zeros, 0, max - 1, true));
        assertEquals(max, chunker.cut(zeros, 0, max, false));
        assertEquals(max, chunker.cut(zeros, 10, max + 10, false));

        Chunker fixed = new Chunker(ChunkSizes.parse("32:32:32"));
        assertEquals(Chunker.NEED_MORE, fixed.cut(zeros, 0, 31, false));
        assertEquals(31, fixed.cut(zeros, 0, 31, true));
        assertEquals(32, fixed.cut(zeros, 3, 100, false));
    }
}
