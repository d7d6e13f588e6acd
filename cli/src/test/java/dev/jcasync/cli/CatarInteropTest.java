package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directory archives against the real casync: generated trees (files of many sizes, empty files,
 * symlinks also dangling, a FIFO, a socket, a device, nested directories, names with spaces,
 * newlines and invalid UTF-8, nanosecond mtimes, owners with and without names and above 65535,
 * user.* xattrs, a hard link, chattr flags) made into .catar and .caidx by both tools under many
 * flag sets must give the same bytes, the same printed digest and the same chunk files; list,
 * mtree, stat and digest of the directory must print what casync prints.
 */
class CatarInteropTest {
    @TempDir
    static Path work;

    static Path basic;
    static Path bigids;

    @BeforeAll
    static void trees() throws Exception {
        Casync.binary();
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the catar interop trees need root (chown, mknod, chattr), and CI=true");
            }
            assumeTrue(false, "the catar interop trees need root");
        }
        Path script = work.resolve("gentree.py");
        try (InputStream in = CatarInteropTest.class.getResourceAsStream("/catar/gentree.py")) {
            Files.write(script, in.readAllBytes());
        }
        basic = work.resolve("basic");
        bigids = work.resolve("bigids");
        python(script, basic, "basic");
        python(script, bigids, "bigids");
    }

    static void python(Object... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        for (Object a : args) {
            cmd.add(a.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail(cmd + " failed:\n" + out);
        }
    }

    static Stream<String> flagSets() {
        List<String> sets = new ArrayList<>(List.of(
                "",
                "--with=unix",
                "--without=all",
                "--with=fat",
                "--digest=sha256",
                "--exclude-nodump=no",
                "--without=acl",
                "--with=best --without=acl",
                "--with=best",
                "--with=fuse",
                "--with=privileged",
                "--with=chattr --with=nsec-time",
                "--with=permissions --with=symlinks --with=16bit-uids --with=user-names",
                "--without=user-names",
                "--without=xattrs --without=selinux",
                "--with=read-only --with=fifos --with=sockets --with=device-nodes"));
        for (String name : FeatureFlags.individualNames()) {
            sets.add("--with=" + name);
        }
        return sets.stream();
    }

    static List<Object> args(String options, Object... rest) {
        List<Object> out = new ArrayList<>();
        if (!options.isEmpty()) {
            out.addAll(Arrays.asList(options.split(" ")));
        }
        out.addAll(Arrays.asList(rest));
        return out;
    }

    static List<Object> cmd(String verb, String options, Object... rest) {
        List<Object> out = new ArrayList<>(List.of(verb));
        out.addAll(args(options, rest));
        return out;
    }

    void assertSameCatar(Path tree, String options, Path dir) throws Exception {
        Path theirs = dir.resolve("c.catar");
        Path ours = dir.resolve("j.catar");
        String theirDigest = Casync.run(cmd("make", options, theirs, tree).toArray());
        Cli.Run run = Cli.run(cmd("make", options, ours, tree).toArray()).assertOk();
        byte[] expected = Files.readAllBytes(theirs);
        byte[] actual = Files.readAllBytes(ours);
        if (!Arrays.equals(expected, actual)) {
            fail("make " + options + " " + tree.getFileName() + ": .catar differs from casync's at byte "
                    + Arrays.mismatch(expected, actual) + " (casync " + expected.length + " bytes, jcasync "
                    + actual.length + ")");
        }
        assertEquals(theirDigest, run.out(), "printed digest");
    }

    @ParameterizedTest(name = "make X.catar {0}")
    @MethodSource("flagSets")
    void catarAsCasync(String options, @TempDir Path dir) throws Exception {
        assertSameCatar(basic, options, dir);
    }

    @ParameterizedTest(name = "make X.catar {0} (ids above 65535)")
    @ValueSource(strings = {"", "--with=32bit-uids", "--with=32bit-uids --with=user-names", "--without=all"})
    void catarWithBigIds(String options, @TempDir Path dir) throws Exception {
        assertSameCatar(bigids, options, dir);
    }

    @ParameterizedTest(name = "make X.caidx {0}")
    @ValueSource(strings = {"", "--with=unix", "--chunk-size=16K", "--digest=sha256 --chunk-size=8K"})
    void caidxAsCasync(String options, @TempDir Path dir) throws Exception {
        String theirDigest =
                Casync.run(cmd("make", options, "--store=" + dir.resolve("c.castr"), dir.resolve("c.caidx"), basic)
                        .toArray());
        Cli.Run run = Cli.run(cmd("make", options, "--store=" + dir.resolve("j.castr"), dir.resolve("j.caidx"), basic)
                        .toArray())
                .assertOk();
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("c.caidx")),
                Files.readAllBytes(dir.resolve("j.caidx")),
                "make " + options + ": .caidx bytes");
        assertEquals(theirDigest, run.out(), "printed digest");
        Set<String> chunks = chunkFiles(dir.resolve("c.castr"));
        assertTrue(chunks.size() > 3, "several chunks: " + chunks.size());
        assertEquals(chunks, chunkFiles(dir.resolve("j.castr")), "chunk file names");
        // and casync reads what jcasync stored: the catar made from the chunks is casync's own
        Casync.run(cmd("make", options, dir.resolve("c.catar"), basic).toArray());
        Path back = dir.resolve("back.catar");
        Casync.run("extract", "--what=blob-index", "--store=" + dir.resolve("j.castr"), dir.resolve("j.caidx"), back);
        assertArrayEquals(Files.readAllBytes(dir.resolve("c.catar")), Files.readAllBytes(back), "chunks = catar");
    }

    /**
     * casync's standard output alone. Its stat prints the lines and then fails ("Failed to
     * enumerate extended attributes") when the archive word lacks xattrs; jcasync prints the same
     * lines and succeeds.
     */
    static String casyncStdout(List<Object> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Casync.binary()));
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "casync timed out");
        return out;
    }

    static Set<String> chunkFiles(Path store) throws IOException {
        try (Stream<Path> s = Files.walk(store)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> store.relativize(p).toString())
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    @ParameterizedTest(name = "list/mtree/stat/digest DIR {0}")
    @ValueSource(strings = {"", "--with=unix", "--without=all", "--with=fat", "--digest=sha256", "--exclude-nodump=no"})
    void inspectDirectoryAsCasync(String options) throws Exception {
        for (String verb : new String[] {"list", "mtree", "stat", "digest"}) {
            for (Path tree : new Path[] {basic, bigids}) {
                if (tree == bigids && (options.contains("unix") || options.contains("fat"))) {
                    continue; // 16-bit uids cannot hold them: casync refuses
                }
                String theirs = verb.equals("stat")
                        ? casyncStdout(cmd(verb, options, tree))
                        : Casync.run(cmd(verb, options, tree).toArray());
                Cli.Run ours = Cli.run(cmd(verb, options, tree).toArray()).assertOk();
                assertEquals(theirs, ours.out(), verb + " " + options + " " + tree.getFileName());
            }
        }
    }

    @Test
    void digestWithoutInputIsTheCurrentDirectorysArchive(@TempDir Path dir) throws Exception {
        // the in-process CLI cannot change directory: digest of "." equals digest of its path
        String theirs = Casync.run("digest", basic);
        assertEquals(
                theirs, Cli.run("digest", "--what=directory", basic).assertOk().out());
        Casync.run("make", dir.resolve("x.catar"), basic);
        assertEquals(
                theirs,
                Cli.run("digest", "--what=blob", "--digest=sha512-256", dir.resolve("x.catar"))
                        .assertOk()
                        .out());
    }

    @Test
    void caexcludeFilesAsCasync(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t");
        for (String d : new String[] {"sub/deep", "other", "dd", "sub/dd", "sub/dironly.d", "sub/other"}) {
            Files.createDirectories(t.resolve(d));
        }
        for (String f : new String[] {
            "a.log", "b.txt", "sub/a.log", "sub/c.txt", "sub/deep/a.log", "other/x", "keep.log", "filonly.d",
            "sub/x.txt", "sub/deep/x.txt", "y.txt", "sub/keep", "sub/deep/keep", "#c", "sub/n1", "sub/deep/n1",
            "sub/[x]", "sub/q1", "sub/q22"
        }) {
            Files.writeString(t.resolve(f), f);
        }
        Files.writeString(
                t.resolve(".caexclude"),
                "*.log\n!keep.log\n/other\ndironly.d/\nfilonly.d/\n# comment\n\nsub/c.txt\ndd/\nsub/*.txt\n#c\n"
                        + "!y.txt\ny.txt\n");
        Files.writeString(t.resolve("sub/.caexclude"), "n1\n/keep\nq?\n[[]x]\n");
        assertEquals(Casync.run("list", t), Cli.run("list", t).assertOk().out(), "list");
        assertSameCatar(t, "", dir);
    }

    @ParameterizedTest(name = "make X.catar {0} (ids above 65535)")
    @ValueSource(
            strings = {
                "--uid-range=65536",
                "--uid-shift=yes",
                "--uid-shift=0 --with=16bit-uids",
                "--uid-shift=no --uid-range=100",
                "--uid-range=no",
                "--uid-shift=65536 --uid-range=4294967296"
            })
    void uidShiftAndRangeAsCasync(String options, @TempDir Path dir) throws Exception {
        Path t = Files.createDirectories(dir.resolve("t"));
        for (int id : new int[] {70000, 65537, 300000}) {
            Path f = Files.writeString(t.resolve("f" + id), "x");
            Files.setAttribute(f, "unix:uid", id);
            Files.setAttribute(f, "unix:gid", id + 1);
        }
        Files.setAttribute(t, "unix:uid", 65536);
        Files.setAttribute(t, "unix:gid", 65536);
        assertSameCatar(t, options, dir);
        assertEquals(
                Casync.run(cmd("mtree", options, t).toArray()),
                Cli.run(cmd("mtree", options, t).toArray()).assertOk().out());
    }

    @Test
    void aFileIsNotADirectoryArchive(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Cli.Run run = Cli.run("make", dir.resolve("x.catar"), file);
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(List.of("jcasync: " + file + ": not a directory"), run.errLines());
        assertTrue(Files.notExists(dir.resolve("x.catar")));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void unreadableOwnerIdIsOneLineAndNoArchive(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("t"));
        Path f = Files.writeString(tree.resolve("f"), "x");
        Files.setAttribute(f, "unix:uid", 65535);
        Cli.Run run = Cli.run("make", dir.resolve("x.catar"), tree);
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().contains(f.toString()), run.err());
        assertTrue(Files.notExists(dir.resolve("x.catar")));
        // casync refuses it too
        Process p = new ProcessBuilder(
                        Casync.binary(), "make", dir.resolve("c.catar").toString(), tree.toString())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor() != 0, "casync refuses uid 65535");
    }
}
