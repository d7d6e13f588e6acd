package dev.jcasync.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.maintain.VerifyReport.Action;
import dev.jcasync.maintain.VerifyReport.Kind;
import dev.jcasync.maintain.VerifyReport.Problem;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.Compression;
import dev.jcasync.store.LocalStore;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
    @TempDir
    Path tmp;

    LocalStore store;
    LocalStore pristine;
    List<ChunkId> ids = new ArrayList<>();

    /** Six chunks in every format, some named by SHA-256, and a pristine copy of the store. */
    @BeforeEach
    void stores() throws IOException {
        store = new LocalStore(tmp.resolve("s.castr"));
        pristine = new LocalStore(tmp.resolve("copy.castr"));
        Compression[] formats = {
            Compression.ZSTD, Compression.XZ, Compression.GZIP, Compression.LZ4, Compression.NONE, Compression.ZSTD
        };
        for (int i = 0; i < formats.length; i++) {
            byte[] data = TestData.random(i, 40_000 + i);
            ChunkId id = (i == 5 ? DigestAlgorithm.SHA256 : DigestAlgorithm.SHA512_256).digest(data);
            store.put(id, ChunkCodec.encode(data, 0, data.length, formats[i]));
            pristine.put(id, ChunkCodec.encode(data, 0, data.length, formats[i]));
            ids.add(id);
        }
    }

    private Path file(int i) {
        return Files.exists(store.rawPath(ids.get(i))) ? store.rawPath(ids.get(i)) : store.compressedPath(ids.get(i));
    }

    private Verifier verifier() {
        return new Verifier(store, List.of(DigestAlgorithm.values()), 2);
    }

    /** Truncates chunk 0, flips a byte of the raw chunk 4, gives chunk 1 the file of chunk 2, misplaces chunk 3. */
    private void damage() throws IOException {
        byte[] zstd = Files.readAllBytes(file(0));
        Files.write(file(0), Arrays.copyOf(zstd, zstd.length / 2));
        byte[] raw = Files.readAllBytes(file(4));
        raw[1000] ^= 1;
        Files.write(file(4), raw);
        Files.write(file(1), Files.readAllBytes(file(2)));
        Path wrongDir = Files.createDirectories(store.root().resolve("ffff")).resolve(file(3).getFileName());
        Files.move(file(3), wrongDir);
    }

    private static Map<Kind, Set<ChunkId>> byKind(VerifyReport r) {
        return r.problems().stream()
                .collect(Collectors.groupingBy(
                        Problem::kind, Collectors.mapping(p -> p.file().id(), Collectors.toSet())));
    }

    @Test
    void aGoodStoreInEveryFormatAndBothDigestsPasses() throws IOException {
        VerifyReport r = verifier().verify();
        assertEquals(6, r.files());
        assertTrue(r.ok());
        assertTrue(r.problems().isEmpty());
        VerifyReport strict = new Verifier(store, List.of(DigestAlgorithm.SHA512_256), 1).verify();
        assertEquals(
                List.of(ids.get(5)),
                strict.problems().stream().map(p -> p.file().id()).toList(),
                "a SHA-256 name is a mismatch when only SHA-512/256 is accepted");
    }

    @Test
    void findsTruncatedFlippedMisnamedAndMisplacedFiles() throws IOException {
        damage();
        VerifyReport r = verifier().verify();
        assertFalse(r.ok());
        assertEquals(
                Map.of(
                        Kind.CORRUPT,
                        Set.of(ids.get(0)),
                        Kind.MISMATCH,
                        Set.of(ids.get(1), ids.get(4)),
                        Kind.MISPLACED,
                        Set.of(ids.get(3))),
                byKind(r));
        Problem misnamed = r.problems().stream()
                .filter(p -> p.file().id().equals(ids.get(1)))
                .findFirst()
                .orElseThrow();
        assertTrue(
                misnamed.detail().contains(ids.get(2).toHex()),
                "names the chunk it really holds: " + misnamed.detail());
        assertTrue(r.problems().stream().allMatch(p -> p.action() == Action.NONE));
        assertEquals(r.problems(), verifier().verify().problems(), "checking changes nothing");
    }

    @Test
    void repairFromAGoodStoreMakesItWhole() throws IOException {
        damage();
        VerifyReport r = verifier().repair(pristine);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(4, r.problems().size());
        assertTrue(verifier().verify().problems().isEmpty());
        for (int i = 0; i < ids.size(); i++) {
            assertTrue(store.has(ids.get(i)), "chunk " + i);
        }
        assertFalse(Files.exists(store.root()
                .resolve("ffff")
                .resolve(store.compressedPath(ids.get(3)).getFileName())));
    }

    @Test
    void repairWithoutASourceRemovesWhatItCannotFix() throws IOException {
        damage();
        VerifyReport r = verifier().repair(null);
        assertFalse(r.ok());
        Map<Action, Long> actions =
                r.problems().stream().collect(Collectors.groupingBy(Problem::action, Collectors.counting()));
        assertEquals(Map.of(Action.REMOVED, 3L, Action.MOVED, 1L), actions);
        assertTrue(verifier().verify().ok(), "no bad file is left");
        assertFalse(store.has(ids.get(0)));
        assertTrue(store.has(ids.get(3)), "the misplaced chunk was moved, not lost");
    }
}
