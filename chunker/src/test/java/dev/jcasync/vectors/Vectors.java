package dev.jcasync.vectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.IndexEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The casync test vectors (testdata/vectors in the repository, see its README) as test fixtures: the manifest's
 * cases and their inputs, regenerated from the recipes. Shared with other modules' tests
 * through this module's test jar.
 */
public final class Vectors {
    private Vectors() {}

    /** System property naming the vectors directory; otherwise testdata/vectors is searched upwards from user.dir. */
    public static final String PROPERTY = "jcasync.vectors";

    private static final Map<String, byte[]> INPUTS = new ConcurrentHashMap<>();

    /** One case of MANIFEST.json, with the fields the tests use. */
    public record VectorCase(
            Path dir,
            String name,
            String inputName,
            long inputSize,
            String inputSha256,
            String inputFile,
            String chunkSizeSpec,
            ChunkSizes sizes,
            Long discriminator,
            DigestAlgorithm digest,
            long featureFlags,
            String indexFile,
            String blobDigest,
            long uniqueChunks,
            List<IndexEntry> chunks,
            List<String> casyncArgs) {

        static VectorCase from(Path dir, Map<String, Object> c) {
            Map<String, Object> input = Json.object(c.get("input"));
            List<IndexEntry> chunks = Json.array(c.get("chunks")).stream()
                    .map(Json::object)
                    .map(chunk -> new IndexEntry(
                            (Long) chunk.get("start"), Math.toIntExact((Long) chunk.get("size")), ChunkId.parse((String)
                                    chunk.get("id"))))
                    .toList();
            return new VectorCase(
                    dir,
                    (String) c.get("name"),
                    (String) input.get("name"),
                    (Long) input.get("size"),
                    (String) input.get("sha256"),
                    (String) input.get("file"),
                    (String) c.get("chunk_size_spec"),
                    ChunkSizes.of((Long) c.get("chunk_size_min"), (Long) c.get("chunk_size_avg"), (Long)
                            c.get("chunk_size_max")),
                    (Long) c.get("discriminator"),
                    DigestAlgorithm.fromCliName((String) c.get("digest")),
                    Long.parseUnsignedLong(((String) c.get("feature_flags")).substring(2), 16),
                    (String) c.get("index_file"),
                    (String) c.get("blob_digest_printed_by_make"),
                    (Long) c.get("unique_chunk_count"),
                    chunks,
                    Json.array(c.get("casync_args")).stream()
                            .map(String.class::cast)
                            .toList());
        }
    }

    public static Path locateVectors() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            Path dir = Path.of(configured).toAbsolutePath();
            assertTrue(
                    Files.isRegularFile(dir.resolve("MANIFEST.json")),
                    "-D" + PROPERTY + "=" + dir + " has no MANIFEST.json");
            return dir;
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testdata/vectors").normalize();
            if (Files.isRegularFile(candidate.resolve("MANIFEST.json"))) {
                return candidate;
            }
        }
        return fail("test vectors not found: no testdata/vectors/MANIFEST.json above " + start + " (set -D" + PROPERTY
                + "=DIR)");
    }

    public static Stream<Named<VectorCase>> cases() throws IOException {
        Path dir = locateVectors();
        Map<String, Object> manifest = Json.object(Json.parse(Files.readString(dir.resolve("MANIFEST.json"))));
        List<VectorCase> cases = Json.array(manifest.get("cases")).stream()
                .map(c -> VectorCase.from(dir, Json.object(c)))
                .toList();
        assertTrue(cases.size() >= 17, "MANIFEST.json lists " + cases.size() + " cases");
        return cases.stream().map(c -> Named.of(c.name(), c));
    }

    /** The case's input, generated from its recipe (cached: several cases share one input). */
    public static byte[] input(VectorCase c) {
        return INPUTS.computeIfAbsent(c.inputName(), VectorInputs::generate);
    }

    /** The case's index file. */
    public static Path indexFile(VectorCase c) {
        return c.dir().resolve(c.indexFile());
    }

    /** The case's store directory (absent for the empty blob: casync made none). */
    public static Path storeDir(VectorCase c) {
        return indexFile(c).resolveSibling("store.castr");
    }
}
