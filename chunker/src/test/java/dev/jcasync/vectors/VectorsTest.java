package dev.jcasync.vectors;

import static dev.jcasync.chunker.Chunks.assertSameChunks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jcasync.chunker.ByteArrayChannel;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.Chunks;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.index.IndexWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the casync test vectors (testdata/vectors, see its README): inputs regenerated
 * from their recipes, chunk size derivation, chunk list, and byte-identical index files.
 */
class VectorsTest {
    private static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(VectorInputs.sha256().digest(data));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void inputMatchesManifest(Vectors.VectorCase c) throws IOException {
        byte[] data = Vectors.input(c);
        assertEquals(c.inputSize(), data.length, "input size");
        assertEquals(c.inputSha256(), sha256Hex(data), "input sha256");
        if (c.inputFile() != null) {
            assertArrayEquals(data, Files.readAllBytes(c.dir().resolve(c.inputFile())), "shipped " + c.inputFile());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void chunkSizesFromSpec(Vectors.VectorCase c) {
        ChunkSizes sizes = c.chunkSizeSpec() == null ? ChunkSizes.DEFAULT : ChunkSizes.parse(c.chunkSizeSpec());
        assertEquals(c.sizes(), sizes);
        if (sizes.isFixed()) {
            assertNull(c.discriminator(), "manifest discriminator in fixed-size mode");
        } else {
            assertEquals(c.discriminator(), (long) sizes.discriminator());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void chunksMatch(Vectors.VectorCase c) throws IOException {
        byte[] data = Vectors.input(c);
        List<IndexEntry> chunks = Chunks.split(c.sizes(), c.digest(), ByteArrayChannel.whole(data));
        assertSameChunks(c.chunks(), chunks);
        assertEquals(
                c.uniqueChunks(),
                new HashSet<>(chunks.stream().map(IndexEntry::id).toList()).size(),
                "unique ids");
        assertEquals(c.blobDigest(), c.digest().digest(data).toHex(), "digest of the whole blob");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void writtenIndexIsByteIdentical(Vectors.VectorCase c) throws IOException {
        assertEquals(c.featureFlags(), BlobIndex.featureFlagsFor(c.digest()), "feature flags");
        byte[] written =
                IndexWriter.toBytes(new BlobIndex(BlobIndex.featureFlagsFor(c.digest()), c.sizes(), c.chunks()));
        assertArrayEquals(Files.readAllBytes(c.dir().resolve(c.indexFile())), written);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void casyncIndexParses(Vectors.VectorCase c) throws IOException {
        BlobIndex index = IndexReader.read(c.dir().resolve(c.indexFile()));
        assertEquals(c.featureFlags(), index.featureFlags(), "feature flags");
        assertEquals(c.digest(), index.digest());
        assertEquals(c.sizes(), index.sizes());
        assertSameChunks(c.chunks(), index.entries());
        assertEquals(c.inputSize(), index.blobSize());
    }

    /** Parallel chunking: the same chunks and the same index bytes as casync, at 1 to 8 threads and many piece sizes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void parallelChunkingGivesIdenticalIndex(Vectors.VectorCase c) throws IOException {
        byte[] data = Vectors.input(c);
        byte[] expectedIndex = Files.readAllBytes(c.dir().resolve(c.indexFile()));
        int min = c.sizes().min();
        int max = c.sizes().max();
        long[] pieceSizes = {1 << 20, 1, 7, Math.max(1, min - 1), min + 1, max, max + 13, 3L * max + 5, 100_003};
        for (int threads : new int[] {1, 2, 4, 8}) {
            for (long piece : pieceSizes) {
                if (data.length / piece > 2_000) {
                    continue; // tiny pieces only on small inputs (each piece reads max bytes past its end)
                }
                List<IndexEntry> chunks =
                        Chunks.splitParallel(c.sizes(), c.digest(), data, threads, start -> start + piece);
                assertSameChunks(c.chunks(), chunks);
                byte[] written = IndexWriter.toBytes(new BlobIndex(c.featureFlags(), c.sizes(), chunks));
                assertArrayEquals(expectedIndex, written, threads + " threads, pieces of " + piece);
            }
        }
    }
}
