package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jcasync as a drop-in for the casync binary: each call runs with the real casync and with jcasync
 * on the same inputs (each in its own directory, {@code {D}} in an argument standing for it), and
 * the exit codes, the bytes on stdout and the files produced (indexes, extracted images, stores)
 * must be the same. Where jcasync deliberately differs (directory archives, which it refuses until
 * it supports them), the test says so.
 */
class CasyncDropInTest {
    @TempDir
    Path root;

    Path c; // casync's side
    Path j; // jcasync's side
    byte[] data;

    record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void sides() throws Exception {
        Casync.binary(); // fails in CI, skips elsewhere, if casync is missing
        data = TestData.mixed(5, 1_500_000);
        c = Files.createDirectory(root.resolve("casync"));
        j = Files.createDirectory(root.resolve("jcasync"));
        for (Path side : List.of(c, j)) {
            Files.write(side.resolve("f.img"), data);
            Files.setPosixFilePermissions(side.resolve("f.img"), PosixFilePermissions.fromString("rw-r-----"));
        }
    }

    // ---- make ----

    @Test
    void makeAcceptsCasyncsOptionsWithCasyncsMeaning() throws Exception {
        String[][] calls = {
            {"make", "--store={D}/s.castr", "{D}/i.caibx", "{D}/f.img"},
            {"make", "--store={D}/s.castr", "--what=blob-index", "{D}/i.caibx", "{D}/f.img"},
            {"make", "--store={D}/s.castr", "--what=blob-index", "{D}/i.idx", "{D}/f.img"}, // any name with --what
            {"make", "--store={D}/s.castr", "--digest=default", "--compression=default", "{D}/i.caibx", "{D}/f.img"},
            {
                "make",
                "--store={D}/s.castr",
                "--digest=sha256",
                "--chunk-size=32K",
                "--compression=xz",
                "{D}/i.caibx",
                "{D}/f.img"
            },
            {"make", "--store={D}/s.castr", "--chunk-size=8K:16K:64K", "--compression=gzip", "{D}/i.caibx", "{D}/f.img"
            },
            {
                "make",
                "--store={D}/s.castr",
                "--exclude-nodump=no",
                "--exclude-submounts=yes",
                "--exclude-file=no",
                "--seed={D}/nothing.img",
                "--extra-store={D}/other.castr",
                "--rate-limit-bps=1M",
                "-l",
                "debug",
                "--log-level=7",
                "--seed-output=no",
                "--uid-shift=yes",
                "--uid-range=65536",
                "-n",
                "{D}/i.caibx",
                "{D}/f.img"
            },
            {"make", "--store={D}/s.castr", "-v", "{D}/i.caibx", "{D}/f.img"},
            {"make", "{D}/i.caibx", "{D}/f.img"}, // default store beside the index
            {"--store={D}/s.castr", "make", "{D}/i.caibx", "{D}/f.img"}, // options before the verb
            {"-v", "--store", "{D}/s.castr", "-l", "info", "make", "{D}/i.caibx", "{D}/f.img"},
            {"make", "{D}/i.caibx", "{D}/f.img", "--store={D}/s.castr"}, // options after the operands
            {"make", "--store={D}/a.castr", "--store={D}/b.castr", "{D}/i.caibx", "{D}/f.img"}, // the last wins
            {"make", "--chunk-size=16K", "--chunk-size=64K", "--store={D}/s.castr", "{D}/i.caibx", "{D}/f.img"},
        };
        for (String[] call : calls) {
            clean();
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertSame(call, theirs, ours);
            assertEquals(0, ours.exit(), String.join(" ", call) + ": " + ours.err());
            assertSameFiles(call);
        }
    }

    @Test
    void makeReadsStandardInputAndWritesTheIndexToStandardOutput() throws Exception {
        String[][] calls = {
            {"make", "--store={D}/s.castr", "{D}/i.caibx"}, // < f.img
            {"make", "--store={D}/s.castr", "{D}/i.caibx", "-"},
            {"make", "--store={D}/s.castr", "-", "{D}/f.img"}, // index, then the digest line, on stdout
            {"make", "--store={D}/s.castr"},
        };
        for (String[] call : calls) {
            clean();
            Result theirs = casync(c, c.resolve("f.img"), call);
            Result ours = jcasync(j, j.resolve("f.img"), call);
            assertSame(call, theirs, ours);
            assertEquals(0, ours.exit(), String.join(" ", call) + ": " + ours.err());
            assertSameFiles(call);
        }
        // The index of standard input gets the permission bits of the file it comes from, as casync's.
        clean();
        casync(c, c.resolve("f.img"), "make", "--store={D}/s.castr", "{D}/i.caibx");
        jcasync(j, j.resolve("f.img"), "make", "--store={D}/s.castr", "{D}/i.caibx");
        assertEquals(
                Files.getPosixFilePermissions(c.resolve("i.caibx")),
                Files.getPosixFilePermissions(j.resolve("i.caibx")));
    }

    @Test
    void makeFailsWhereCasyncFails() throws Exception {
        String[][] calls = {
            {"make", "--store={D}/s.castr", "{D}/i.img", "{D}/f.img"}, // no index suffix
            {"make", "--store={D}/s.castr", "-c", "{D}/i.caibx", "{D}/f.img"}, // cache: archives only
            {"make", "--store={D}/s.castr", "--cache={D}/cache", "{D}/i.caibx", "{D}/f.img"},
            {"make", "--store={D}/s.castr", "{D}/i.caibx", "{D}/absent.img"},
            {"make", "--store={D}/s.castr", "{D}/i.caibx", "{D}"}, // a directory into a blob index
        };
        for (String[] call : calls) {
            clean();
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertSame(call, theirs, ours);
            assertEquals(1, ours.exit(), String.join(" ", call));
            assertEquals(1, ours.err().strip().lines().count(), ours.err());
            assertFalse(Files.exists(j.resolve("i.caibx")) || Files.exists(j.resolve("i.img")));
        }
    }

    // ---- extract ----

    @Test
    void extractAcceptsCasyncsOptionsWithCasyncsMeaning() throws Exception {
        for (Path side : List.of(c, j)) {
            Casync.run("make", "--store=" + side.resolve("s.castr"), side.resolve("i.caibx"), side.resolve("f.img"));
            Files.copy(side.resolve("i.caibx"), side.resolve("i.idx"));
        }
        String[][] calls = {
            {"extract", "--store={D}/s.castr", "{D}/i.caibx", "{D}/o.img"},
            {
                "extract",
                "--store={D}/s.castr",
                "--reflink=no",
                "--hardlink=yes",
                "--punch-holes=no",
                "--delete=no",
                "--undo-immutable=yes",
                "--uid-shift=1000",
                "--uid-range=65536",
                "--what=blob-index",
                "--cache-auto",
                "--rate-limit-bps=100M",
                "-v",
                "-l",
                "info",
                "--digest=sha512-256",
                "--chunk-size=64K",
                "--compression=zstd",
                "--recursive=no",
                "--mkdir=no",
                "--exclude-nodump=yes",
                "{D}/i.caibx",
                "{D}/o.img"
            },
            {"extract", "--store={D}/s.castr", "--what=blob-index", "{D}/i.idx", "{D}/o.img"},
            {"extract", "--store={D}/s.castr", "--seed={D}/f.img", "{D}/i.caibx", "{D}/o.img"},
            {"extract", "--store={D}/s.castr", "--seed={D}/absent.img", "{D}/i.caibx", "{D}/o.img"}, // warns, goes on
            {"extract", "--store={D}/s.castr", "--seed-output=no", "--seed-output=yes", "{D}/i.caibx", "{D}/o.img"},
            {"extract", "--store={D}/nowhere.castr", "--store={D}/s.castr", "{D}/i.caibx", "{D}/o.img"
            }, // the last wins
            {"extract", "--store={D}/nowhere.castr", "--extra-store={D}/s.castr", "{D}/i.caibx", "{D}/o.img"},
            {"extract", "--extra-store={D}/s.castr", "{D}/i.caibx", "{D}/o.img"
            }, // default store lacks them: extra has them
            {"--store={D}/s.castr", "-v", "extract", "{D}/i.caibx", "{D}/o.img"},
            {"-l", "err", "extract", "{D}/i.caibx", "{D}/o.img", "--store", "{D}/s.castr"},
        };
        for (String[] call : calls) {
            deleteIfExists("o.img");
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertSame(call, theirs, ours);
            assertEquals(0, ours.exit(), String.join(" ", call) + ": " + ours.err());
            assertArrayEquals(data, Files.readAllBytes(j.resolve("o.img")), String.join(" ", call));
            assertArrayEquals(Files.readAllBytes(c.resolve("o.img")), Files.readAllBytes(j.resolve("o.img")));
        }
        // A seed that does not exist: one warning line, and the exit status is unaffected.
        deleteIfExists("o.img");
        Result warned = jcasync(
                j, null, "extract", "--store={D}/s.castr", "-q", "--seed={D}/absent.img", "{D}/i.caibx", "{D}/o.img");
        assertEquals(0, warned.exit());
        assertEquals(
                List.of("jcasync: warning: seed " + j.resolve("absent.img") + ": no such file or directory, ignoring"),
                warned.err().strip().lines().toList());
    }

    @Test
    void extractFailsWhereCasyncFails() throws Exception {
        for (Path side : List.of(c, j)) {
            Casync.run("make", "--store=" + side.resolve("s.castr"), side.resolve("i.caibx"), side.resolve("f.img"));
        }
        String[][] calls = {
            {"extract", "--store={D}/s.castr", "--store={D}/nowhere.castr", "{D}/i.caibx", "{D}/o.img"
            }, // the last wins
            {"extract", "--store={D}/nowhere.castr", "{D}/i.caibx", "{D}/o.img"},
            {"extract", "--store={D}/s.castr", "{D}/absent.caibx", "{D}/o.img"},
        };
        for (String[] call : calls) {
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertSame(call, theirs, ours);
            assertEquals(1, ours.exit(), String.join(" ", call));
        }
    }

    // ---- digest ----

    @Test
    void digestPrintsWhatCasyncPrints() throws Exception {
        for (Path side : List.of(c, j)) {
            Casync.run("make", "--store=" + side.resolve("s.castr"), side.resolve("i.caibx"), side.resolve("f.img"));
            Casync.run("make", side.resolve("default.caibx"), side.resolve("f.img")); // into default.castr
        }
        Files.write(c.resolve("empty"), new byte[0]);
        Files.write(j.resolve("empty"), new byte[0]);
        String[][] calls = {
            {"digest", "{D}/f.img"},
            {"digest", "{D}/empty"},
            {"digest", "--digest=sha256", "{D}/f.img"},
            {"digest", "--digest=default", "{D}/f.img"},
            {"digest", "--store={D}/s.castr", "{D}/i.caibx"},
            {"digest", "--store={D}/nowhere.castr", "--extra-store={D}/s.castr", "{D}/i.caibx"},
            {"digest", "--store={D}/s.castr", "--digest=sha256", "{D}/i.caibx"},
            {"digest", "--what=blob", "{D}/i.caibx"}, // the index file itself
            {"--store={D}/s.castr", "digest", "--what=blob-index", "{D}/i.caibx"},
            {
                "digest",
                "-v",
                "-l",
                "debug",
                "--rate-limit-bps=10M",
                "--seed={D}/f.img",
                "--store={D}/s.castr",
                "{D}/i.caibx"
            },
            {"digest", "--what=help"},
            {"digest", "{D}/absent.img"},
            {"digest", "--store={D}/nowhere.castr", "{D}/i.caibx"},
        };
        for (String[] call : calls) {
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertSame(call, theirs, ours);
        }
        String[][] fromStdin = {{"digest", "-"}, {"digest", "--what=blob"}, {"digest", "--what=blob-index", "-"}};
        for (String[] call : fromStdin) {
            String file = call[1].equals("--what=blob-index") ? "i.caibx" : "f.img";
            Result theirs = casync(c, c.resolve(file), call);
            Result ours = jcasync(j, j.resolve(file), call);
            assertSame(call, theirs, ours);
            assertEquals(0, ours.exit(), String.join(" ", call) + ": " + ours.err());
        }
    }

    // ---- gc ----

    @Test
    void gcPrintsWhatCasyncPrints() throws Exception {
        byte[] other = TestData.random(9, 700_000);
        for (Path side : List.of(c, j)) {
            Files.write(side.resolve("g.img"), other);
        }
        String[][] calls = {
            {"gc", "--store={D}/s.castr", "{D}/i.caibx"},
            {"gc", "-n", "--store={D}/s.castr", "{D}/i.caibx"},
            {"gc", "--dry-run", "--store={D}/s.castr", "{D}/i.caibx", "{D}/g.caibx"},
            {"gc", "-v", "-n", "--store={D}/s.castr", "{D}/i.caibx"},
            {"-v", "gc", "--store={D}/s.castr", "{D}/i.caibx"},
            {"gc", "-v", "{D}/i.caibx"}, // the default store beside the first index
            {"gc", "--store={D}/a.castr", "--store={D}/s.castr", "-l", "info", "--what=blob-index", "{D}/i.caibx"},
        };
        for (String[] call : calls) {
            clean();
            for (Path side : List.of(c, j)) {
                Casync.run(
                        "make", "--store=" + side.resolve("s.castr"), side.resolve("i.caibx"), side.resolve("f.img"));
                Casync.run(
                        "make", "--store=" + side.resolve("s.castr"), side.resolve("g.caibx"), side.resolve("g.img"));
                Casync.run("make", side.resolve("i.caibx"), side.resolve("f.img")); // default.castr
                Casync.run("make", side.resolve("g.caibx"), side.resolve("g.img"));
            }
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertEquals(theirs.exit(), ours.exit(), String.join(" ", call) + ": " + ours.err());
            // casync lists the chunks in directory order and removes emptied prefix directories;
            // jcasync lists them sorted and leaves the directories (writers may be using them).
            assertEquals(
                    sortedLines(theirs.text().replaceAll(", \\d+ directories,", ", N directories,")),
                    sortedLines(ours.text().replaceAll(", \\d+ directories,", ", N directories,")),
                    String.join(" ", call));
            assertEquals(chunkFiles(c.resolve("s.castr")), chunkFiles(j.resolve("s.castr")), String.join(" ", call));
            assertEquals(
                    chunkFiles(c.resolve("default.castr")),
                    chunkFiles(j.resolve("default.castr")),
                    String.join(" ", call));
        }
    }

    // ---- archive indexes (.caidx) in gc, info, chop and cache; a .catar is refused there ----
    // (directories: CatarInteropTest; reading .catar and .caidx: CatarReadInteropTest)

    /** A tree in each side's {@code tree} directory (and a second, {@code tree2}), with the same mtimes. */
    private void trees() throws IOException {
        for (Path side : List.of(c, j)) {
            Path tree = Files.createDirectories(side.resolve("tree/sub"));
            Files.write(tree.resolve("a.bin"), data);
            Files.write(side.resolve("tree/b.txt"), TestData.text(3, 90_000));
            Path tree2 = Files.createDirectories(side.resolve("tree2"));
            Files.write(tree2.resolve("c.bin"), TestData.random(11, 400_000));
            try (Stream<Path> all = Stream.concat(Files.walk(side.resolve("tree")), Files.walk(tree2))) {
                for (Path p : all.toList()) {
                    Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
                }
            }
        }
    }

    @Test
    void gcWithArchiveIndexesPrintsWhatCasyncPrints() throws Exception {
        String[][] calls = {
            {"gc", "--store={D}/s.castr", "{D}/t.caidx"},
            {"gc", "-n", "--store={D}/s.castr", "{D}/t.caidx"},
            {"gc", "-v", "--store={D}/s.castr", "{D}/t2.caidx"},
            {"gc", "-v", "-n", "--store={D}/s.castr", "{D}/t.caidx", "{D}/t2.caidx"},
        };
        for (String[] call : calls) {
            clean();
            trees();
            for (Path side : List.of(c, j)) {
                Casync.run("make", "--store=" + side.resolve("s.castr"), side.resolve("t.caidx"), side.resolve("tree"));
                Casync.run(
                        "make", "--store=" + side.resolve("s.castr"), side.resolve("t2.caidx"), side.resolve("tree2"));
            }
            Result theirs = casync(c, null, call);
            Result ours = jcasync(j, null, call);
            assertEquals(theirs.exit(), ours.exit(), String.join(" ", call) + ": " + ours.err());
            assertEquals(0, ours.exit(), String.join(" ", call) + ": " + ours.err());
            // as for blob indexes (gcPrintsWhatCasyncPrints): order and the directory count differ
            assertEquals(
                    sortedLines(theirs.text().replaceAll(", \\d+ directories,", ", N directories,")),
                    sortedLines(ours.text().replaceAll(", \\d+ directories,", ", N directories,")),
                    String.join(" ", call));
            assertEquals(chunkFiles(c.resolve("s.castr")), chunkFiles(j.resolve("s.castr")), String.join(" ", call));
        }
    }

    @Test
    void infoChopAndCacheTakeArchiveIndexes() throws Exception {
        trees();
        Casync.run("make", "--store=" + c.resolve("s.castr"), c.resolve("t.caidx"), c.resolve("tree"));
        Casync.run("make", j.resolve("t.catar"), j.resolve("tree"));
        Files.copy(c.resolve("t.caidx"), j.resolve("t.caidx"));
        int chunks = IndexReaderAccess.entries(j.resolve("t.caidx"));

        Result info = jcasync(j, null, "info", "--json", "--store=" + c.resolve("s.castr"), "{D}/t.caidx");
        assertEquals(0, info.exit(), info.err());
        assertTrue(
                info.text().contains("\"chunks\":" + chunks) || info.text().contains("\"chunks\": " + chunks),
                info.text());

        // chop: the tree (encoded again with the index's flags) and the .catar give casync's chunk files
        Result fromTree = jcasync(j, null, "chop", "--store={D}/from-tree.castr", "{D}/t.caidx", "{D}/tree");
        assertEquals(0, fromTree.exit(), fromTree.err());
        Result fromCatar = jcasync(j, null, "chop", "--store={D}/from-catar.castr", "{D}/t.caidx", "{D}/t.catar");
        assertEquals(0, fromCatar.exit(), fromCatar.err());
        assertEquals(chunkFiles(c.resolve("s.castr")), chunkFiles(j.resolve("from-tree.castr")));
        assertEquals(chunkFiles(c.resolve("s.castr")), chunkFiles(j.resolve("from-catar.castr")));
        // a tree that changed since is refused, naming it
        Files.write(j.resolve("tree/b.txt"), TestData.text(4, 90_000));
        Files.setLastModifiedTime(
                j.resolve("tree/b.txt"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        Result changed = jcasync(j, null, "chop", "--store={D}/changed.castr", "{D}/t.caidx", "{D}/tree");
        assertEquals(1, changed.exit());
        assertEquals(1, changed.err().strip().lines().count(), changed.err());
        assertTrue(changed.err().contains(j.resolve("tree").toString()), changed.err());

        // cache fills a local store with every chunk; casync extracts from it alone
        Result cache =
                jcasync(j, null, "cache", "--store=" + c.resolve("s.castr"), "--cache={D}/c.castr", "{D}/t.caidx");
        assertEquals(0, cache.exit(), cache.err());
        assertEquals(chunkFiles(c.resolve("s.castr")), chunkFiles(j.resolve("c.castr")));
        Casync.run("extract", "--store=" + j.resolve("c.castr"), j.resolve("t.caidx"), j.resolve("out"));
        assertEquals(Casync.run("mtree", c.resolve("tree")), Casync.run("mtree", j.resolve("out")));

        // a .catar is no chunk index: one line, exit 1, nothing written
        String[][] refused = {
            {"info", "{D}/t.catar"},
            {"chop", "--store={D}/x.castr", "{D}/t.catar", "{D}/tree"},
            {"cache", "--store={D}/c.castr", "--cache={D}/y.castr", "{D}/t.catar"},
            {"gc", "--store={D}/c.castr", "{D}/t.catar"},
        };
        Set<String> before = chunkFiles(j.resolve("c.castr"));
        for (String[] call : refused) {
            Result ours = jcasync(j, null, call);
            assertEquals(1, ours.exit(), String.join(" ", call) + ": " + ours.err());
            assertEquals("", ours.text(), String.join(" ", call));
            assertEquals(1, ours.err().strip().lines().count(), ours.err());
        }
        assertEquals(before, chunkFiles(j.resolve("c.castr")), "nothing pruned");
        assertFalse(Files.exists(j.resolve("x.castr")) || Files.exists(j.resolve("y.castr")));
    }

    /** Chunk entries of an index. */
    private static final class IndexReaderAccess {
        static int entries(Path index) throws IOException {
            return dev.jcasync.index.IndexReader.read(index).entries().size();
        }
    }

    // ---- helpers ----

    private static void assertSame(String[] call, Result theirs, Result ours) {
        String what = String.join(" ", call) + "\ncasync: " + theirs.err() + "\njcasync: " + ours.err();
        assertEquals(theirs.exit(), ours.exit(), "exit status of " + what);
        assertArrayEquals(
                theirs.out(),
                ours.out(),
                "stdout of " + what + "\ncasync stdout: " + theirs.text() + "\njcasync stdout: " + ours.text());
    }

    /** The indexes and stores each side made hold the same bytes and chunks. */
    private void assertSameFiles(String[] call) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path side : List.of(c, j)) {
            try (Stream<Path> files = Files.list(side)) {
                files.map(p -> p.getFileName().toString()).forEach(names::add);
            }
        }
        for (String name : names) {
            Path theirs = c.resolve(name);
            Path ours = j.resolve(name);
            String what = String.join(" ", call) + ": " + name;
            assertEquals(Files.exists(theirs), Files.exists(ours), what);
            if (name.endsWith(".castr")) {
                assertEquals(chunkFiles(theirs), chunkFiles(ours), what);
            } else if (Files.isRegularFile(theirs)) {
                assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), what);
            }
        }
    }

    /** Chunk file names of a store (the compressed bytes differ between zstd builds; the ids may not). */
    private static Set<String> chunkFiles(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> store.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<String> sortedLines(String text) {
        return text.lines().sorted().toList();
    }

    /** Removes what the previous call made on both sides, keeping the input files. */
    private void clean() throws IOException {
        for (Path side : List.of(c, j)) {
            try (Stream<Path> files = Files.list(side)) {
                for (Path p : files.toList()) {
                    String name = p.getFileName().toString();
                    if (!name.equals("f.img") && !name.equals("g.img")) {
                        deleteTree(p);
                    }
                }
            }
        }
    }

    private void deleteIfExists(String name) throws IOException {
        Files.deleteIfExists(c.resolve(name));
        Files.deleteIfExists(j.resolve(name));
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static String[] expand(Path side, String[] call) {
        return Stream.of(call).map(a -> a.replace("{D}", side.toString())).toArray(String[]::new);
    }

    private static Result casync(Path side, Path stdin, String... call) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Casync.binary());
        cmd.addAll(List.of(expand(side, call)));
        return exec(cmd, side, stdin);
    }

    /**
     * jcasync as scripts run it: its own process (working directory, stdin, binary stdout) where the
     * call reads standard input or writes the index to stdout; else in this JVM, which is faster.
     */
    private static Result jcasync(Path side, Path stdin, String... call) throws IOException, InterruptedException {
        if (stdin == null && !List.of(call).contains("-") && System.getenv("CASYNC_STORE") == null) {
            Cli.Run run = Cli.run((Object[]) expand(side, call));
            return new Result(run.exitCode(), run.out().getBytes(StandardCharsets.UTF_8), run.err());
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(expand(side, call)));
        return exec(cmd, side, stdin);
    }

    private static Result exec(List<String> cmd, Path cwd, Path stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().remove("CASYNC_STORE");
        pb.redirectInput(
                stdin == null
                        ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                        : ProcessBuilder.Redirect.from(stdin.toFile()));
        Path err = Files.createTempFile("drop-in", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        String errText = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, errText);
    }
}
