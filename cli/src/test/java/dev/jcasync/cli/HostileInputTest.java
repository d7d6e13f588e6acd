package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile local files, each run through the real {@code jcasync} launcher as its own JVM (with the
 * launcher's memory settings, no larger heap) under {@code /usr/bin/time}, which reports its peak
 * RSS: every case must end in one line naming the file or chunk, with no stack trace, and stay
 * under 256 MiB. Chunk files of 1-3 GiB are sparse, so they cost nothing to make; reading one
 * whole would cost its size in RSS.
 */
class HostileInputTest {
    private static final long CEILING_KIB = 256 * 1024;
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    Path input;
    Path index;
    Path store;
    Path output;
    byte[] data;
    List<String> ids;

    /** A finished run: exit code, output, and the peak RSS of the JVM in KiB. */
    record Run(int code, String out, String err, long peakKiB) {
        /** Exit non-zero, one line on stderr mentioning every word, no trace, under the ceiling. */
        Run assertOneLineError(String... words) {
            assertNotEquals(0, code, "must fail: " + err);
            List<String> lines = err.strip().lines().toList();
            assertEquals(1, lines.size(), "exactly one error line, got: " + err);
            assertTrue(lines.get(0).startsWith("jcasync: "), lines.get(0));
            for (String w : words) {
                assertTrue(lines.get(0).contains(w), "error should mention '" + w + "': " + lines.get(0));
            }
            return assertBounded();
        }

        Run assertOk() {
            assertEquals(0, code, "exit " + code + ": " + err);
            return assertBounded();
        }

        Run assertBounded() {
            assertFalse(new DropIn.Result(code, out, err).showsJavaTrace(), err);
            assertTrue(peakKiB > 0, "no peak RSS measured");
            assertTrue(peakKiB < CEILING_KIB, "peak RSS " + peakKiB + " KiB, over the 256 MiB ceiling");
            return this;
        }
    }

    @BeforeEach
    void makeImage() throws IOException {
        data = TestData.mixed(7, 1 << 20);
        input = TestData.write(dir, "input.img", data);
        index = dir.resolve("image.caibx");
        store = dir.resolve("image.castr");
        output = dir.resolve("out.img");
        Cli.run("make", "--store=" + store, index, input).assertOk();
        ids = Cli.run("list", index)
                .assertOk()
                .out()
                .lines()
                .map(l -> l.split(" ")[2])
                .distinct()
                .toList();
        assertTrue(ids.size() > 4, "the image has several chunks");
    }

    /** Runs the launcher with {@code args} under /usr/bin/time (and a timeout: a hang fails, not blocks). */
    private Run jcasync(Object... args) throws Exception {
        Path rss = dir.resolve("rss-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of(
                "timeout",
                "120",
                "/usr/bin/time",
                "-f",
                "%M",
                "-o",
                rss.toString(),
                DropIn.launcher().toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        DropIn.Result r = DropIn.run(cmd, dir, DropIn.binDir(dir.resolve("bin")), Map.of());
        assertNotEquals(124, r.code(), "timed out: " + cmd);
        long peak = lastNumber(rss);
        System.out.printf(
                "peak RSS %d KiB, exit %d: jcasync %s%n", peak, r.code(), String.join(" ", cmd.subList(8, cmd.size())));
        return new Run(r.code(), r.out(), r.err(), peak);
    }

    private Path compressed(Path root, String id) {
        return root.resolve(id.substring(0, 4)).resolve(id + ".cacnk");
    }

    private Path raw(Path root, String id) {
        return root.resolve(id.substring(0, 4)).resolve(id);
    }

    private static void sparse(Path file, long size) throws IOException {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** A store holding only a good copy of chunk {@code id} (as the image store has it). */
    private Path storeWithOnly(String id) throws IOException {
        Path other = dir.resolve("other.castr");
        Files.createDirectories(compressed(other, id).getParent());
        Files.copy(compressed(store, id), compressed(other, id));
        return other;
    }

    private void assertNoTempLeft() throws IOException {
        assertFalse(Files.exists(output), "no output after a failed extract");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".#")), "temporary output left");
        }
    }

    /**
     * One huge chunk file: the extract names that chunk, the store stays in use for the others.
     * {@code other}: a store holding only a good copy of that chunk.
     */
    private void hugeChunkFile(Path bad, String id, Path other) throws Exception {
        jcasync("extract", "--store=" + store, index, output)
                .assertOneLineError(
                        "chunk " + id, store.toString(), bad.getFileName().toString(), "not read");
        assertNoTempLeft();
        // With a second store holding only that chunk, every other chunk still comes from the first.
        jcasync("extract", "--store=" + store, "--extra-store=" + other, index, output)
                .assertOk();
        assertArrayEquals(data, Files.readAllBytes(output));
    }

    @Test
    void rawChunkFileOf1GiB() throws Exception {
        String id = ids.get(1);
        Path other = storeWithOnly(id);
        Files.delete(compressed(store, id));
        sparse(raw(store, id), GIB);
        hugeChunkFile(raw(store, id), id, other);
    }

    @Test
    void compressedChunkFileOf1AndAHalfGiB() throws Exception {
        String id = ids.get(2);
        Path other = storeWithOnly(id);
        sparse(compressed(store, id), 3 * GIB / 2);
        hugeChunkFile(compressed(store, id), id, other);
    }

    @Test
    void compressedChunkFileOver2GiB() throws Exception {
        String id = ids.get(3);
        Path other = storeWithOnly(id);
        sparse(compressed(store, id), 3 * GIB + 12345);
        hugeChunkFile(compressed(store, id), id, other);
    }

    @Test
    void verifyReportsHugeFilesFifosDirectoriesAndLinksWithoutReadingThem() throws Exception {
        sparse(compressed(store, ids.get(0)), 3 * GIB);
        Files.delete(compressed(store, ids.get(1)));
        sparse(raw(store, ids.get(1)), GIB);
        Files.delete(compressed(store, ids.get(2)));
        mkfifo(compressed(store, ids.get(2)));
        Files.delete(compressed(store, ids.get(3)));
        Files.createDirectory(compressed(store, ids.get(3)));
        Files.delete(compressed(store, ids.get(4)));
        Files.createSymbolicLink(compressed(store, ids.get(4)), input);

        Run text = jcasync("verify", "--store=" + store).assertOneLineError("store " + store, "5 bad chunk files");
        int good = ids.size() - 5;
        assertTrue(text.out().contains("checked " + ids.size() + " chunk files"), text.out());
        assertTrue(text.out().contains(": 5 bad"), text.out());
        String[] expect = {
            ids.get(0).substring(0, 4) + "/" + ids.get(0) + ".cacnk: file is " + 3 * GIB + " bytes",
            ids.get(1).substring(0, 4) + "/" + ids.get(1) + ": file is " + GIB + " bytes",
            ids.get(2) + ".cacnk: is a FIFO",
            ids.get(3) + ".cacnk: is a directory",
            ids.get(4) + ".cacnk: is a symbolic link"
        };
        for (String e : expect) {
            assertTrue(text.out().contains(e), "expected '" + e + "' in:\n" + text.out());
        }
        assertTrue(good > 0);

        Run json = jcasync("verify", "--json", "--store=" + store).assertOneLineError("5 bad chunk files");
        assertTrue(json.out().strip().startsWith("{") && json.out().strip().endsWith("}"), json.out());
        assertTrue(json.out().contains("\"ok\":false") || json.out().contains("\"ok\": false"), json.out());
        for (int i = 0; i < 5; i++) {
            assertTrue(json.out().contains(ids.get(i)), "JSON names " + ids.get(i) + ": " + json.out());
        }
    }

    @Test
    void infoDoesNotCountOversizedOrNonRegularFiles() throws Exception {
        sparse(compressed(store, ids.get(0)), 3 * GIB);
        Files.delete(compressed(store, ids.get(1)));
        mkfifo(compressed(store, ids.get(1)));
        Run run = jcasync("info", "--store=" + store, index).assertOk();
        int distinct = ids.size();
        assertTrue(
                run.out().contains((distinct - 2) + " of " + distinct + " chunks"),
                "two chunks are not present:\n" + run.out());
    }

    @Test
    void seedWithAHeaderClaiming128MiBChunks() throws Exception {
        // A valid index whose header allows 128 MiB chunks, for 1 MiB of data; the seed is chunked
        // with those parameters. Memory must follow the data, not the header.
        Path big = dir.resolve("big.caibx");
        Path bigStore = dir.resolve("big.castr");
        Cli.run("make", "--chunk-size=16K:64K:128M", "--store=" + bigStore, big, input)
                .assertOk();
        Path seed = TestData.write(dir, "seed.img", data);
        try (Stream<Path> files = Files.walk(bigStore)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.delete(f); // every chunk must come from the seed
            }
        }
        jcasync("extract", "--store=" + bigStore, "--seed=" + seed, big, output).assertOk();
        assertArrayEquals(data, Files.readAllBytes(output));
    }

    @Test
    void corruptCacheEntryIsReplacedByTheVerifiedCopy() throws Exception {
        Path cache = dir.resolve("cache.castr");
        jcasync("extract", "--store=" + store, "--cache=" + cache, index, output)
                .assertOk();
        Files.delete(output);
        String id = ids.get(2);
        Path cached = compressed(cache, id);
        assertTrue(Files.exists(cached), "the cache holds " + id);
        Files.delete(cached);
        Files.write(cached, "not a chunk".getBytes());
        jcasync("extract", "--store=" + store, "--cache=" + cache, index, output)
                .assertOk();
        assertArrayEquals(data, Files.readAllBytes(output));
        assertArrayEquals(
                Files.readAllBytes(compressed(store, id)), Files.readAllBytes(cached), "cache entry replaced");
        jcasync("verify", "--store=" + cache).assertOk();
    }

    @Test
    void seedsThatAreFifosOrCharacterDevicesAreRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("seed.fifo");
        mkfifo(fifo);
        jcasync("extract", "--store=" + store, "--seed=" + fifo, index, output)
                .assertOneLineError("seed " + fifo, "FIFO");
        assertNoTempLeft();
        jcasync("extract", "--store=" + store, "--seed=/dev/zero", index, output)
                .assertOneLineError("seed /dev/zero", "character device");
        assertNoTempLeft();
    }

    @Test
    void directoryArchiveByUrlIndexStaysUnderTheCeiling() throws Exception {
        // An index given by URL has no size the launcher can see. Such an extract had no heap
        // maximum, and chunks in flight promoted into an old generation that grew with them: a
        // 360 MB tree over nginx peaked at 486 MiB. 384 MiB of files that do not compress.
        Path tree = Files.createDirectories(dir.resolve("tree"));
        java.util.Random random = new java.util.Random(11);
        byte[] file = new byte[128 << 10];
        int files = 3072;
        for (int i = 0; i < files; i++) {
            random.nextBytes(file);
            Files.write(tree.resolve("f" + i), file);
        }
        Path www = Files.createDirectories(dir.resolve("www"));
        jcasync("make", "--store=" + www.resolve("store.castr"), www.resolve("tree.caidx"), tree)
                .assertOk();
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx"), "")) {
            Path out = dir.resolve("tree-out");
            jcasync("extract", "--store=" + nginx.url("store.castr"), nginx.url("tree.caidx"), out)
                    .assertOk();
            try (Stream<Path> made = Files.list(out)) {
                assertEquals(files, made.count());
            }
            for (int i = 0; i < files; i += 101) {
                assertArrayEquals(Files.readAllBytes(tree.resolve("f" + i)), Files.readAllBytes(out.resolve("f" + i)));
            }
        }
    }

    @Test
    void hugeSparseIndex() throws Exception {
        Path bad = dir.resolve("huge.caibx");
        sparse(bad, 3 * GIB);
        jcasync("extract", "--store=" + store, bad, output).assertOneLineError(bad.toString());
        assertNoTempLeft();
        sparse(bad, GIB + 104);
        jcasync("extract", "--store=" + store, bad, output).assertOneLineError(bad.toString(), "offset 0");
        assertNoTempLeft();
    }

    @Test
    void outOfSpaceNamesTheOutputNotTheSeed() throws Exception {
        DropIn.Result probe = DropIn.run(
                List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /mnt"),
                null,
                null,
                null);
        DropIn.require(probe.code() == 0, "cannot mount a small tmpfs (needs root and unshare): " + probe.err());
        Path w = dir.resolve("w");
        Files.createDirectories(w);
        Path seed = TestData.write(dir, "seed.img", data);
        for (boolean existing : new boolean[] {false, true}) {
            // A 512 KiB file system for a 1 MiB output, the seed outside it.
            String script = "set -e\nmount -t tmpfs -o size=512k tmpfs \"$W\"\n"
                    + (existing ? "head -c 4096 /dev/urandom > \"$W/out.img\"\n" : "")
                    + "set +e\n/usr/bin/time -f %M -o \"$RSS\" \"$JCASYNC\" extract --store=\"$STORE\" --seed=\"$SEED\" \"$INDEX\" \"$W/out.img\"\n"
                    + "code=$?\nls -A \"$W\" >&2\nexit $code\n";
            Path rss = dir.resolve("rss-enospc");
            DropIn.Result r = DropIn.run(
                    List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script),
                    dir,
                    DropIn.binDir(dir.resolve("bin")),
                    Map.of(
                            "W", w.toString(),
                            "RSS", rss.toString(),
                            "JCASYNC", DropIn.launcher().toString(),
                            "STORE", store.toString(),
                            "SEED", seed.toString(),
                            "INDEX", index.toString()));
            List<String> lines = r.err().strip().lines().toList();
            assertNotEquals(0, r.code(), r.err());
            assertTrue(lines.get(0).startsWith("jcasync: "), r.err());
            assertTrue(lines.get(0).contains(w.resolve("out.img").toString()), "names OUTPUT: " + r.err());
            assertFalse(lines.get(0).contains(seed.toString()), "does not blame the seed: " + r.err());
            assertTrue(lines.get(0).contains("No space left"), r.err());
            // What ls printed: no temporary file; an existing OUTPUT is still there.
            assertEquals(existing ? List.of("out.img") : List.of(), lines.subList(1, lines.size()), r.err());
            new Run(r.code(), r.out(), lines.get(0), lastNumber(rss)).assertBounded();
        }
    }

    /** The peak RSS /usr/bin/time wrote (its last line; a line about the exit status may precede it), or 0. */
    private static long lastNumber(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String last = Files.readString(file).strip().lines().reduce((a, b) -> b).orElse("0");
        Files.delete(file);
        return Long.parseLong(last.strip());
    }

    private static void mkfifo(Path path) throws Exception {
        DropIn.run(List.of("mkfifo", path.toString()), null, null, null).assertOk("mkfifo");
    }
}
