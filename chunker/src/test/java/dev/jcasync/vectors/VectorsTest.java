package dev.jcasync.vectors;

import static dev.jcasync.chunker.Chunks.assertSameChunks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.chunker.ByteArrayChannel;
import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.Chunks;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.index.IndexWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the casync test vectors (../shared/vectors, see its README): inputs regenerated
 * from their recipes, chunk size derivation, chunk list, and byte-identical index files.
 */
class VectorsTest {
    /** System property naming the vectors directory; otherwise ../shared/vectors is searched upwards from user.dir. */
    static final String PROPERTY = "jcasync.vectors";

    private static final Map<String, byte[]> INPUTS = new ConcurrentHashMap<>();

    /** One case of MANIFEST.json, with the fields the tests use. */
    record VectorCase(Path dir, String name, String inputName, long inputSize, String inputSha256, String inputFile,
                      String chunkSizeSpec, ChunkSizes sizes, Long discriminator, DigestAlgorithm digest,
                      long featureFlags, String indexFile, String blobDigest, long uniqueChunks, List<IndexEntry> chunks) {

        static VectorCase from(Path dir, Map<String, Object> c) {
            Map<String, Object> input = Json.object(c.get("input"));
            List<IndexEntry> chunks = Json.array(c.get("chunks")).stream().map(Json::object)
                    .map(chunk -> new IndexEntry((Long) chunk.get("start"), Math.toIntExact((Long) chunk.get("size")),
                            ChunkId.parse((String) chunk.get("id"))))
                    .toList();
            return new VectorCase(dir, (String) c.get("name"), (String) input.get("name"), (Long) input.get("size"),
                    (String) input.get("sha256"), (String) input.get("file"), (String) c.get("chunk_size_spec"),
                    ChunkSizes.of((Long) c.get("chunk_size_min"), (Long) c.get("chunk_size_avg"), (Long) c.get("chunk_size_max")),
                    (Long) c.get("discriminator"), DigestAlgorithm.fromCliName((String) c.get("digest")),
                    Long.parseUnsignedLong(((String) c.get("feature_flags")).substring(2), 16),
                    (String) c.get("index_file"), (String) c.get("blob_digest_printed_by_make"),
                    (Long) c.get("unique_chunk_count"), chunks);
        }
    }

    static Path locateVectors() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            Path dir = Path.of(configured).toAbsolutePath();
            assertTrue(Files.isRegularFile(dir.resolve("MANIFEST.json")), "-D" + PROPERTY + "=" + dir + " has no MANIFEST.json");
            return dir;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/vectors").normalize();
            if (Files.isRegularFile(candidate.resolve("MANIFEST.json"))) {
                return candidate;
            }
        }
        return fail("test vectors not found: no ../shared/vectors/MANIFEST.json above " + start + " (set -D" + PROPERTY + "=DIR)");
    }

    static Stream<Named<VectorCase>> cases() throws IOException {
        Path dir = locateVectors();
        Map<String, Object> manifest = Json.object(Json.parse(Files.readString(dir.resolve("MANIFEST.json"))));
        List<VectorCase> cases = Json.array(manifest.get("cases")).stream()
                .map(c -> VectorCase.from(dir, Json.object(c))).toList();
        assertTrue(cases.size() >= 17, "MANIFEST.json lists " + cases.size() + " cases");
        return cases.stream().map(c -> Named.of(c.name(), c));
    }

    /** The case's input, generated from its recipe (cached: several cases share one input). */
    private static byte[] input(VectorCase c) {
        return INPUTS.computeIfAbsent(c.inputName(), VectorInputs::generate);
    }

    private static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(VectorInputs.sha256().digest(data));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inputMatchesManifest(VectorCase c) throws IOException {
        byte[] data = input(c);
        assertEquals(c.inputSize(), data.length, "input size");
        assertEquals(c.inputSha256(), sha256Hex(data), "input sha256");
        if (c.inputFile() != null) {
            assertArrayEquals(data, Files.readAllBytes(c.dir().resolve(c.inputFile())), "shipped " + c.inputFile());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void chunkSizesFromSpec(VectorCase c) {
        ChunkSizes sizes = c.chunkSizeSpec() == null ? ChunkSizes.DEFAULT : ChunkSizes.parse(c.chunkSizeSpec());
        assertEquals(c.sizes(), sizes);
        if (sizes.isFixed()) {
            assertNull(c.discriminator(), "manifest discriminator in fixed-size mode");
        } else {
            assertEquals(c.discriminator(), (long) sizes.discriminator());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void chunksMatch(VectorCase c) throws IOException {
        byte[] data = input(c);
        List<IndexEntry> chunks = Chunks.split(c.sizes(), c.digest(), ByteArrayChannel.whole(data));
        assertSameChunks(c.chunks(), chunks);
        assertEquals(c.uniqueChunks(), new HashSet<>(chunks.stream().map(IndexEntry::id).toList()).size(), "unique ids");
        assertEquals(c.blobDigest(), c.digest().digest(data).toHex(), "digest of the whole blob");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writtenIndexIsByteIdentical(VectorCase c) throws IOException {
        assertEquals(c.featureFlags(), BlobIndex.featureFlagsFor(c.digest()), "feature flags");
        byte[] written = IndexWriter.toBytes(new BlobIndex(BlobIndex.featureFlagsFor(c.digest()), c.sizes(), c.chunks()));
        assertArrayEquals(Files.readAllBytes(c.dir().resolve(c.indexFile())), written);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void casyncIndexParses(VectorCase c) throws IOException {
        BlobIndex index = IndexReader.read(c.dir().resolve(c.indexFile()));
        assertEquals(c.featureFlags(), index.featureFlags(), "feature flags");
        assertEquals(c.digest(), index.digest());
        assertEquals(c.sizes(), index.sizes());
        assertSameChunks(c.chunks(), index.entries());
        assertEquals(c.inputSize(), index.blobSize());
    }
}
