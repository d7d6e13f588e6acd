package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcasync chop} (index to store) and {@code jcasync cache} (stores to a local cache). */
class ChopCacheTest {
    @TempDir
    Path dir;

    Path image;
    Path index;
    Path source;
    byte[] data;

    /** An image and its index made by casync; its store is the source for caching. */
    @BeforeEach
    void casyncIndex() throws Exception {
        data = TestData.mixed(17, 5 << 20);
        image = TestData.write(dir, "image.img", data);
        index = dir.resolve("image.caibx");
        source = dir.resolve("source.castr");
        Casync.run("make", "--store=" + source, index, image);
    }

    @Test
    void chopStoresWhatTheIndexListsForCasync() throws Exception {
        Path store = dir.resolve("chopped.castr");
        Cli.Run run = Cli.run("chop", "--store=" + store, index, image).assertOk();
        int distinct = Inspect.ids(index).size();
        assertEquals(
                "stored " + distinct + " chunks in " + store + ", 0 already there",
                run.out().strip());
        assertEquals(Inspect.ids(index), StoreAudit.audit(store, DigestAlgorithm.SHA512_256));
        Casync.run("extract", "--store=" + store, index, dir.resolve("out"));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));

        Cli.Run again = Cli.run("chop", "--store=" + store, index, image).assertOk();
        assertEquals(
                "stored 0 chunks in " + store + ", " + distinct + " already there",
                again.out().strip());
    }

    @Test
    void chopRefusesAFileThatDiffersFromTheIndex() throws Exception {
        byte[] changed = data.clone();
        changed[3_000_000] ^= 1;
        Path other = TestData.write(dir, "changed.img", changed);
        Cli.Run run = Cli.run("chop", "--store=" + dir.resolve("s.castr"), index, other);
        assertEquals(1, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("jcasync: " + other + ": does not match the index at offset "), run.err());

        Path shorter = TestData.write(dir, "short.img", java.util.Arrays.copyOf(data, 1000));
        Cli.Run tooShort = Cli.run("chop", "--store=" + dir.resolve("s.castr"), index, shorter);
        assertEquals(
                List.of("jcasync: " + shorter + ": 1000 bytes, but the index describes " + data.length),
                tooShort.errLines());
    }

    @Test
    void cacheHoldsExactlyWhatTheIndexesNeedAndServesExtractAlone() throws Exception {
        byte[] second = TestData.random(18, 1 << 20);
        Path secondIndex = dir.resolve("second.caibx");
        Casync.run("make", "--store=" + source, secondIndex, TestData.write(dir, "second.img", second));
        Path cache = dir.resolve("cache.castr");
        int needed = Inspect.ids(index, secondIndex).size();
        Cli.Run run = Cli.run("cache", "--store=" + source, "--cache=" + cache, index, secondIndex)
                .assertOk();
        assertTrue(run.out().startsWith("cached " + needed + " chunks in " + cache), run.out());
        assertEquals(Inspect.ids(index, secondIndex), StoreAudit.audit(cache, DigestAlgorithm.SHA512_256));
        assertTrue(Cli.run("cache", "--store=" + source, "--cache=" + cache, index)
                .assertOk()
                .out()
                .startsWith("cached 0 chunks"));

        // The cache alone is enough: the store given for the extract does not exist.
        Cli.run("extract", "--cache=" + cache, "--store=" + dir.resolve("gone.castr"), index, dir.resolve("out"))
                .assertOk();
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }

    @Test
    void lz4CacheIsFastToReadButWarnsItIsJcasyncOnly() throws Exception {
        Path cache = dir.resolve("lz4.castr");
        Cli.Run run = Cli.run("cache", "--store=" + source, "--cache=" + cache, "--compression=lz4", index)
                .assertOk();
        assertEquals(
                List.of("jcasync: warning: --compression=lz4 writes chunk files that casync and desync cannot read"),
                run.errLines());
        assertAllFilesAre(cache, Compression.LZ4);
        Cli.run("verify", "--store=" + cache).assertOk();
        Cli.run("extract", "--store=" + cache, index, dir.resolve("out")).assertOk();
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }

    @Test
    void cacheFromNginxTransfersEachChunkOnce() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.move(source, www.resolve("store.castr"));
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx"), "")) {
            Path cache = dir.resolve("cache.castr");
            Cli.Run run = Cli.run("cache", "--store=" + nginx.url("store.castr"), "--cache=" + cache, index)
                    .assertOk();
            long sent = nginx.bodyBytes("GET", ".cacnk");
            assertTrue(run.out().contains("(" + sent + " bytes transferred)"), run.out() + " vs " + sent);
            assertEquals(Inspect.ids(index).size(), nginx.requestedPaths("GET").size());
        }
    }

    static void assertAllFilesAre(Path store, Compression expected) throws Exception {
        try (Stream<Path> walk = Files.walk(store)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                assertEquals(expected, Compression.detect(Files.readAllBytes(f)), f.toString());
            }
        }
    }

    @Test
    void makeWithLz4WarnsOnceAndCasyncCannotReadTheStore() throws Exception {
        Path store = dir.resolve("lz4make.castr");
        Path lz4Index = dir.resolve("lz4.caibx");
        Cli.Run make = Cli.run("make", "--store=" + store, "--compression=lz4", lz4Index, image)
                .assertOk();
        assertEquals(
                List.of("jcasync: warning: --compression=lz4 writes chunk files that casync and desync cannot read"),
                make.errLines());
        assertAllFilesAre(store, Compression.LZ4);
        Cli.run("extract", "--store=" + store, lz4Index, dir.resolve("out")).assertOk();
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));

        Process casync = new ProcessBuilder(
                        Casync.binary(),
                        "extract",
                        "--store=" + store,
                        lz4Index.toString(),
                        dir.resolve("casync-out").toString())
                .redirectErrorStream(true)
                .start();
        casync.getInputStream().readAllBytes();
        assertTrue(casync.waitFor() != 0, "casync refuses lz4 chunk files, as the warning said");
        for (ChunkId id : Inspect.ids(lz4Index)) {
            assertTrue(Files.exists(store.resolve(id.prefix()).resolve(id.toHex() + ".cacnk")));
        }
    }
}
