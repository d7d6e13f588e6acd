package dev.jcasync.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips through {@link IndexWriter} / {@link IndexReader}, and what the reader rejects (docs/format.md 5.3). */
class IndexReaderTest {
    private static final String NAME = "sample.caibx";
    private static final ChunkSizes SIZES = ChunkSizes.parse("1K:2K:8K");
    /** Chunk sizes of the sample index: N = 4 items at 64, 104, 144, 184; tail at 224; 264 bytes. */
    private static final BlobIndex SAMPLE = index(DigestAlgorithm.SHA512_256, SIZES, 2000, 8192, 1500, 7);

    private static final int N = SAMPLE.entries().size();
    private static final int TAIL = 64 + 40 * N;

    /** An index with random ids and the given chunk sizes. */
    private static BlobIndex index(DigestAlgorithm digest, ChunkSizes sizes, int... chunkSizes) {
        Random random = new Random(chunkSizes.length);
        List<IndexEntry> entries = new ArrayList<>();
        long offset = 0;
        for (int size : chunkSizes) {
            byte[] id = new byte[ChunkId.LENGTH];
            random.nextBytes(id);
            entries.add(new IndexEntry(offset, size, ChunkId.of(id)));
            offset += size;
        }
        return new BlobIndex(BlobIndex.featureFlagsFor(digest), sizes, entries);
    }

    private static BlobIndex roundTrip(BlobIndex index) throws InvalidIndexException {
        byte[] bytes = IndexWriter.toBytes(index);
        assertEquals(104 + 40 * index.entries().size(), bytes.length);
        return IndexReader.parse(bytes, NAME);
    }

    @Test
    void roundTrip() throws IOException {
        assertEquals(SAMPLE, roundTrip(SAMPLE));
        assertEquals(SAMPLE.blobSize(), roundTrip(SAMPLE).blobSize());
        assertEquals(DigestAlgorithm.SHA512_256, roundTrip(SAMPLE).digest());
    }

    @Test
    void roundTripEmptyAndSha256() throws IOException {
        BlobIndex empty = index(DigestAlgorithm.SHA512_256, ChunkSizes.DEFAULT);
        assertEquals(empty, roundTrip(empty));
        assertEquals(0, roundTrip(empty).blobSize());
        BlobIndex sha256 = index(DigestAlgorithm.SHA256, ChunkSizes.DEFAULT, 20, 30);
        assertEquals(0x9000000000000000L, roundTrip(sha256).featureFlags());
        assertEquals(DigestAlgorithm.SHA256, roundTrip(sha256).digest());
    }

    @Test
    void roundTripBeyond4GiB() throws IOException {
        int[] chunkSizes = new int[40];
        Arrays.fill(chunkSizes, ChunkSizes.LIMIT);
        BlobIndex big =
                index(DigestAlgorithm.SHA512_256, new ChunkSizes(1, ChunkSizes.LIMIT, ChunkSizes.LIMIT), chunkSizes);
        assertEquals(big, roundTrip(big));
        assertEquals(40L * ChunkSizes.LIMIT, roundTrip(big).blobSize());
    }

    @Test
    void readFromFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.caibx");
        Files.write(file, IndexWriter.toBytes(SAMPLE));
        assertEquals(SAMPLE, IndexReader.read(file));
    }

    private static UnaryOperator<byte[]> putLong(int offset, long value) {
        return bytes -> {
            byte[] copy = bytes.clone();
            ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
            return copy;
        };
    }

    private static UnaryOperator<byte[]> resize(int delta) {
        return bytes -> Arrays.copyOf(bytes, bytes.length + delta);
    }

    private static UnaryOperator<byte[]> keep(int length) {
        return bytes -> Arrays.copyOf(bytes, length);
    }

    private static long itemEnd(int i) {
        return SAMPLE.entries().get(i).end();
    }

    private static Arguments corruption(String description, UnaryOperator<byte[]> change, String expectedInMessage) {
        return Arguments.of(Named.of(description, change), expectedInMessage);
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                corruption("truncated by 1 byte", resize(-1), "truncated"),
                corruption("truncated by 40 bytes", resize(-40), "offset " + (TAIL - 40)),
                corruption("only the index header", keep(48), "truncated"),
                corruption("only the index and table headers", keep(64), "truncated"),
                corruption("empty file", keep(0), "truncated"),
                corruption("one extra byte", resize(1), "padded"),
                corruption("an extra zero item after the tail", resize(40), "offset " + TAIL),
                corruption("wrong header size", putLong(0, 64), "offset 0"),
                corruption("wrong magic", putLong(8, 0x96824D9C7B129FF8L), "offset 8"),
                corruption("unknown feature flag bit", putLong(16, 0xB000000200000000L), "offset 16"),
                corruption("min > avg in the header", putLong(24, 4096), "offset 24"),
                corruption("min = 0 in the header", putLong(24, 0), "offset 24"),
                corruption("max above 128 MiB", putLong(40, ChunkSizes.LIMIT + 1L), "offset 24"),
                corruption("wrong table header size", putLong(48, 0), "offset 48"),
                corruption("wrong table type", putLong(56, 0), "offset 56"),
                corruption("first end offset zero", putLong(64, 0), "offset 64"),
                corruption("equal end offsets", putLong(104, itemEnd(0)), "offset 104"),
                corruption("decreasing end offsets", putLong(144, itemEnd(0) + 1), "offset 144"),
                corruption("chunk larger than max", putLong(64, SIZES.max() + 1), "more than the index's max"),
                corruption("end offset of 2^63", putLong(184, Long.MIN_VALUE), "more than the index's max"),
                corruption("end offset of 2^64-1", putLong(184, -1), "more than the index's max"),
                corruption("non-zero tail word", putLong(TAIL, 1), "offset " + TAIL),
                corruption("wrong tail index offset", putLong(TAIL + 16, 64), "offset " + (TAIL + 16)),
                corruption("wrong tail table size", putLong(TAIL + 24, 16 + 40 * N), "offset " + (TAIL + 24)),
                corruption("bad tail marker", putLong(TAIL + 32, 0x4B4F050E5549ECD0L), "marker"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void rejects(UnaryOperator<byte[]> change, String expectedInMessage) {
        byte[] corrupted = change.apply(IndexWriter.toBytes(SAMPLE));
        InvalidIndexException e = assertThrows(InvalidIndexException.class, () -> IndexReader.parse(corrupted, NAME));
        assertTrue(e.getMessage().contains(NAME), e.getMessage());
        assertTrue(
                e.getMessage().contains(expectedInMessage),
                "expected '" + expectedInMessage + "' in: " + e.getMessage());
    }

    @Test
    void readNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.caibx");
        Files.write(file, new byte[10]);
        InvalidIndexException e = assertThrows(InvalidIndexException.class, () -> IndexReader.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
