package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.vectors.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcasync verify} on a store made by casync, damaged in the ways disks and people damage stores. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    Path store;
    Path backup;
    Path index;
    byte[] data;
    List<Path> chunkFiles;

    @BeforeEach
    void casyncStore() throws Exception {
        store = dir.resolve("store.castr");
        index = dir.resolve("img.caibx");
        data = TestData.random(5, 3 << 20);
        Casync.run("make", "--store=" + store, index, TestData.write(dir, "img", data));
        backup = dir.resolve("backup.castr");
        Casync.run("make", "--store=" + backup, dir.resolve("copy.caibx"), dir.resolve("img"));
        try (Stream<Path> walk = Files.walk(store)) {
            chunkFiles =
                    new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
        }
        assertTrue(chunkFiles.size() >= 5);
    }

    private static String rel(Path store, Path file) {
        return store.relativize(file).toString();
    }

    /** Flips a byte in one file, truncates another, gives a third the file of a fourth, misplaces a fifth; returns kinds by path. */
    private Map<String, Set<String>> damage() throws Exception {
        Map<String, Set<String>> expected = new HashMap<>();
        Path flipped = chunkFiles.get(0);
        byte[] b = Files.readAllBytes(flipped);
        b[b.length / 2] ^= 0x04;
        Files.write(flipped, b);
        // A flipped byte in a zstd frame without checksum may still decode, to the wrong data.
        expected.put(rel(store, flipped), Set.of("corrupt", "mismatch"));

        Path truncated = chunkFiles.get(1);
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(truncated), (int) Files.size(truncated) - 100));
        expected.put(rel(store, truncated), Set.of("corrupt"));

        Path misnamed = chunkFiles.get(2);
        Files.copy(chunkFiles.get(3), misnamed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        expected.put(rel(store, misnamed), Set.of("mismatch"));

        Path misplaced = chunkFiles.get(4);
        Path wrongDir = Files.createDirectories(store.resolve("0000")).resolve(misplaced.getFileName());
        Files.move(misplaced, wrongDir);
        expected.put(rel(store, wrongDir), Set.of("misplaced"));
        return expected;
    }

    @Test
    void aSoundStorePasses() {
        Cli.Run run = Cli.run("verify", "--store=" + store).assertOk();
        assertTrue(run.out().contains("checked " + chunkFiles.size() + " chunk files"), run.out());
        assertTrue(run.out().contains(": 0 bad"), run.out());
    }

    @Test
    void findsFlippedTruncatedMisnamedAndMisplacedFiles() throws Exception {
        Map<String, Set<String>> expected = damage();
        Cli.Run run = Cli.run("verify", "--store=" + store);
        assertEquals(1, run.exitCode());
        assertEquals(List.of("jcasync: store " + store + ": 4 bad chunk files"), run.errLines());
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            String line = run.out()
                    .lines()
                    .filter(l -> l.contains(e.getKey()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(e.getKey() + " not reported: " + run.out()));
            assertTrue(e.getValue().contains(line.split(" ")[0]), line);
        }
        String misnamedId = chunkFiles.get(3).getFileName().toString().replace(".cacnk", "");
        assertTrue(run.out().contains("content hashes to " + misnamedId), "names the chunk the misnamed file holds");

        Cli.Run json = Cli.run("verify", "--json", "--store=" + store);
        assertEquals(1, json.exitCode());
        Map<String, Object> j = Inspect.json(json.out());
        assertEquals(false, j.get("ok"));
        assertEquals((long) chunkFiles.size(), Inspect.number(j, "files"));
        List<Object> problems = Json.array(j.get("problems"));
        assertEquals(4, problems.size());
        for (Object o : problems) {
            Map<String, Object> p = Json.object(o);
            assertTrue(expected.get((String) p.get("path")).contains((String) p.get("problem")), p.toString());
            assertEquals("none", p.get("action"));
            assertEquals(
                    Path.of((String) p.get("path")).getFileName().toString().replace(".cacnk", ""), p.get("id"));
        }
    }

    @Test
    void repairFromABackupMakesTheStoreWholeForCasync() throws Exception {
        damage();
        Cli.Run run =
                Cli.run("verify", "--store=" + store, "--repair-from=" + backup).assertOk();
        assertTrue(run.out().contains("[replaced]") && run.out().contains("[moved]"), run.out());
        Cli.run("verify", "--store=" + store).assertOk();
        Set<ChunkId> held = StoreAudit.audit(store, dev.jcasync.chunker.DigestAlgorithm.SHA512_256);
        assertEquals(Inspect.ids(index), held);
        Casync.run("extract", "--store=" + store, index, dir.resolve("out"));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }

    @Test
    void repairWithoutABackupRemovesBadFilesAndStillFails() throws Exception {
        damage();
        Cli.Run run = Cli.run("verify", "--store=" + store, "--repair");
        assertEquals(1, run.exitCode());
        assertEquals(List.of("jcasync: store " + store + ": 3 bad chunk files not fixed"), run.errLines());
        assertTrue(run.out().contains("[removed]"), run.out());
        Cli.run("verify", "--store=" + store).assertOk();
        Cli.Run extract = Cli.run("extract", "--store=" + store, index, dir.resolve("out"));
        assertEquals(1, extract.exitCode(), "the removed chunks are missing now");
        Cli.run("extract", "--store=" + store, "--extra-store=" + backup, index, dir.resolve("out"))
                .assertOk();
    }

    @Test
    void errorsAreOneLineNamingTheStore() {
        Cli.Run missing = Cli.run("verify", "--store=" + dir.resolve("nowhere.castr"));
        assertEquals(1, missing.exitCode());
        assertEquals(
                List.of("jcasync: store " + dir.resolve("nowhere.castr") + ": no such directory"), missing.errLines());
        Cli.Run remote = Cli.run("verify", "--store=http://127.0.0.1:1/store");
        assertEquals(1, remote.exitCode());
        assertEquals(1, remote.errLines().size());
        assertTrue(remote.err().contains("needs a local store directory"), remote.err());
    }
}
