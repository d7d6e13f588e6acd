package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.IndexReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync job end to end over a real nginx: a store made by casync, a device holding the old
 * image, and jcasync fetching only what the old image lacks, exactly once each.
 */
class HttpSyncTest {
    private static final Pattern TRANSFERRED = Pattern.compile("transferred: (\\d+) bytes");

    @TempDir
    Path dir;

    Path www;
    byte[] v1;
    byte[] v2;

    @BeforeEach
    void makeStoreWithCasync() throws Exception {
        www = Files.createDirectories(dir.resolve("www"));
        v1 = TestData.mixed(31, 24 << 20);
        v2 = v1.clone();
        for (int off : new int[] {1_000_000, 9_000_000, 20_000_000}) {
            System.arraycopy(TestData.random(off, 50_000), 0, v2, off, 50_000);
        }
        Path store = www.resolve("store.castr");
        Casync.run("make", "--store=" + store, www.resolve("v1.caibx"), TestData.write(dir, "v1.img", v1));
        Casync.run("make", "--store=" + store, www.resolve("v2.caibx"), TestData.write(dir, "v2.img", v2));
    }

    private static Set<String> ids(Path index) throws Exception {
        return IndexReader.read(index).entries().stream()
                .map(e -> e.id().toHex())
                .collect(Collectors.toSet());
    }

    private static Set<String> zeroChunkIds(Path index) throws Exception {
        return IndexReader.read(index).entries().stream()
                .filter(e -> e.id().equals(DigestAlgorithm.SHA512_256.zeroChunkId(e.size())))
                .map(e -> e.id().toHex())
                .collect(Collectors.toSet());
    }

    private static long transferred(Cli.Run run) {
        Matcher m = TRANSFERRED.matcher(run.err());
        assertTrue(m.find(), "summary with transferred bytes: " + run.err());
        return Long.parseLong(m.group(1));
    }

    @Test
    void seededExtractFetchesOnlyWhatTheSeedLacksOnce() throws Exception {
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx"), "")) {
            Path out = dir.resolve("device.img");
            Cli.Run run = Cli.run(
                            "extract",
                            "--store=" + nginx.url("store.castr"),
                            "--seed=" + dir.resolve("v1.img"),
                            nginx.url("v2.caibx"),
                            out)
                    .assertOk();
            assertArrayEquals(v2, Files.readAllBytes(out));

            Set<String> needed = ids(www.resolve("v2.caibx"));
            needed.removeAll(ids(www.resolve("v1.caibx")));
            needed.removeAll(zeroChunkIds(www.resolve("v2.caibx"))); // made locally, never fetched
            List<String> chunkGets = nginx.requestedPaths("GET").stream()
                    .filter(p -> p.endsWith(".cacnk"))
                    .toList();
            Set<String> requested = chunkGets.stream()
                    .map(p -> p.substring(p.lastIndexOf('/') + 1, p.length() - ".cacnk".length()))
                    .collect(Collectors.toSet());
            assertEquals(chunkGets.size(), requested.size(), "a chunk was requested twice: " + chunkGets);
            assertEquals(needed, requested, "exactly the chunks the seed lacks");
            assertFalse(needed.isEmpty());

            long expectedBytes = 0;
            for (String id : requested) {
                expectedBytes += Files.size(
                        www.resolve("store.castr").resolve(id.substring(0, 4)).resolve(id + ".cacnk"));
            }
            assertEquals(expectedBytes, transferred(run), "transferred = compressed size of the fetched chunks");

            Cli.Run plan = Cli.run(
                    "extract",
                    "--dry-run",
                    "--store=" + nginx.url("store.castr"),
                    "--seed=" + dir.resolve("v1.img"),
                    nginx.url("v2.caibx"),
                    dir.resolve("never"));
            plan.assertOk();
            assertTrue(plan.out().contains("download: " + expectedBytes + " bytes"), plan.out());
            assertFalse(Files.exists(dir.resolve("never")));
        }
    }

    @Test
    void killedInPlaceExtractResumesWithoutRefetching() throws Exception {
        Path out = dir.resolve("device.img"); // empty device: nearly every chunk must be fetched
        Set<String> all = ids(www.resolve("v2.caibx"));
        try (Nginx slow = Nginx.serve(www, dir.resolve("slow"), "limit_rate 400k;")) {
            Process p = Cli.start(
                    null,
                    "extract",
                    "--in-place",
                    "--progress=plain",
                    "--concurrency=2",
                    "--store=" + slow.url("store.castr"),
                    www.resolve("v2.caibx"),
                    out);
            assertTrue(waitForProgressThenKill(p, 0.5), "extract was killed half way");
        }
        assertFalse(java.util.Arrays.equals(v2, Files.readAllBytes(out)), "the first run must have been interrupted");
        try (Nginx fast = Nginx.serve(www, dir.resolve("fast"), "")) {
            Cli.run("extract", "--in-place", "--store=" + fast.url("store.castr"), www.resolve("v2.caibx"), out)
                    .assertOk();
            assertArrayEquals(v2, Files.readAllBytes(out));
            long refetched = fast.requestedPaths("GET").size();
            assertTrue(
                    refetched > 0 && refetched < 0.8 * all.size(),
                    "rerun after a kill at half way fetched " + refetched + " of " + all.size() + " chunks");
        }
    }

    @Test
    void killedDefaultExtractLeavesOutputUntouchedAndTheRerunContinues() throws Exception {
        Path out = dir.resolve("device.img");
        byte[] before = TestData.random(99, 1000);
        Files.write(out, before);
        Set<String> all = ids(www.resolve("v2.caibx"));
        try (Nginx slow = Nginx.serve(www, dir.resolve("slow"), "limit_rate 400k;")) {
            Process p = Cli.start(
                    null,
                    "extract",
                    "--progress=plain",
                    "--concurrency=2",
                    "--seed-output=no",
                    "--store=" + slow.url("store.castr"),
                    www.resolve("v2.caibx"),
                    out);
            assertTrue(waitForProgressThenKill(p, 0.5), "extract was killed part way");
        }
        assertArrayEquals(before, Files.readAllBytes(out));
        assertEquals(1, leftovers().size(), "the killed run's temporary file");

        try (Nginx fast = Nginx.serve(www, dir.resolve("fast"), "")) {
            Cli.run("extract", "--seed-output=no", "--store=" + fast.url("store.castr"), www.resolve("v2.caibx"), out)
                    .assertOk();
            assertArrayEquals(v2, Files.readAllBytes(out));
            long refetched = fast.requestedPaths("GET").size();
            assertTrue(
                    refetched > 0 && refetched < 0.8 * all.size(),
                    "the rerun continued the killed run's file: fetched " + refetched + " of " + all.size()
                            + " chunks");
        }
        assertEquals(List.of(), leftovers(), "no temporary file left");
    }

    private List<Path> leftovers() throws java.io.IOException {
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(".#device.img"))
                    .toList();
        }
    }

    /**
     * Reads the plain progress lines and kills the process (SIGKILL) once it is {@code fraction}
     * done; false if it ended by itself first.
     */
    private static boolean waitForProgressThenKill(Process p, double fraction) throws Exception {
        boolean killed = false;
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f.length == 4
                        && f[0].equals("progress")
                        && Long.parseLong(f[1]) >= fraction * Long.parseLong(f[2])) {
                    if (Long.parseLong(f[1]) == Long.parseLong(f[2])) {
                        break; // finished before we could kill it: the assertions after will say so
                    }
                    p.destroyForcibly();
                    killed = true;
                    break;
                }
            }
        }
        p.waitFor();
        return killed;
    }
}
