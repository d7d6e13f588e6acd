package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code make --input-format=tar}: a generated tree (2000 files, hardlinks, symlinks, fifos, a
 * device, long names, xattrs, nanosecond mtimes, ids above 65535, a sparse file) tarred by GNU tar
 * in PAX format; the ground truth is casync's own archive of the tree GNU tar extracts from that
 * tar as root. The .catar, the .caidx and the chunk files must be the same bytes.
 */
class CatarTarInputTest {
    @TempDir
    static Path work;

    static Path tar;
    static Path extracted;

    @BeforeAll
    static void tree() throws Exception {
        Casync.binary();
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the tar input tests need root (chown, mknod), and CI=true");
            }
            assumeTrue(false, "the tar input tests need root");
        }
        Path script = work.resolve("gentar.py");
        try (InputStream in = CatarTarInputTest.class.getResourceAsStream("/catar/gentar.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path src = work.resolve("src");
        run("python3", script, src);
        tar = work.resolve("t.tar");
        run("tar", "--xattrs", "--sparse", "--format=posix", "-C", src, "-cf", tar, ".");
        extracted = Files.createDirectories(work.resolve("x"));
        run("tar", "--xattrs", "--numeric-owner", "-xpf", tar, "-C", extracted);
    }

    static String run(Object... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        for (Object a : args) {
            cmd.add(a.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail(cmd + " failed:\n" + out);
        }
        return out;
    }

    static Object[] cmd(String options, Object... rest) {
        List<Object> out = new ArrayList<>(List.of("make"));
        if (!options.isEmpty()) {
            out.addAll(Arrays.asList(options.split(" ")));
        }
        out.addAll(Arrays.asList(rest));
        return out.toArray();
    }

    static void assertSame(Path expected, Path actual, String what) throws Exception {
        byte[] e = Files.readAllBytes(expected);
        byte[] a = Files.readAllBytes(actual);
        if (!Arrays.equals(e, a)) {
            fail(what + ": differs from casync's at byte " + Arrays.mismatch(e, a) + " (casync " + e.length
                    + " bytes, jcasync " + a.length + ")");
        }
    }

    @ParameterizedTest(name = "make X.catar --input-format=tar {0}")
    @ValueSource(
            strings = {
                "",
                "--with=best",
                "--with=unix --with=32bit-uids",
                "--without=all",
                "--with=chattr --with=fat --with=sec-time --digest=sha256",
                "--with=read-only --with=fifos --with=device-nodes --without=user-names"
            })
    void catarAsCasyncOfTheExtractedTree(String options, @TempDir Path dir) throws Exception {
        String theirs = Casync.run(cmd(options, dir.resolve("c.catar"), extracted));
        Cli.Run ours = Cli.run(cmd(options, "--input-format=tar", dir.resolve("j.catar"), tar))
                .assertOk();
        assertSame(dir.resolve("c.catar"), dir.resolve("j.catar"), "make " + options);
        assertEquals(theirs, ours.out(), "printed digest");
    }

    @Test
    void caidxAndChunksFromStandardInput(@TempDir Path dir) throws Exception {
        String theirs = Casync.run("make", "--store=" + dir.resolve("c.castr"), dir.resolve("c.caidx"), extracted);
        Process p = Cli.start(
                tar, "make", "--input-format=tar", "--store=" + dir.resolve("j.castr"), dir.resolve("j.caidx"), "-");
        Cli.Run ours = Cli.finish(p).assertOk();
        assertSame(dir.resolve("c.caidx"), dir.resolve("j.caidx"), ".caidx");
        assertEquals(theirs, ours.out(), "printed digest");
        var chunks = CatarInteropTest.chunkFiles(dir.resolve("c.castr"));
        assertTrue(chunks.size() > 10, "several chunks: " + chunks.size());
        assertEquals(chunks, CatarInteropTest.chunkFiles(dir.resolve("j.castr")), "chunk files");
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".spill")), "spill file removed");
        }
    }

    @Test
    void impliedDirectoriesAre0755RootEpoch(@TempDir Path dir) throws Exception {
        // a tar of files only: its directories (and the root) exist only by implication
        Path src = Files.createDirectories(dir.resolve("s/a/b"));
        Files.writeString(src.resolve("f"), "one");
        Files.writeString(dir.resolve("s/a/g"), "two");
        Path filesOnly = dir.resolve("f.tar");
        run("tar", "--format=posix", "-C", dir.resolve("s"), "-cf", filesOnly, "a/b/f", "a/g");
        Path x = Files.createDirectories(dir.resolve("x"));
        run("tar", "--numeric-owner", "-xpf", filesOnly, "-C", x);
        for (Path d : new Path[] {x, x.resolve("a"), x.resolve("a/b")}) {
            run("chmod", "0755", d);
            run("chown", "0:0", d);
            run("touch", "-h", "-d", "@0", d);
        }
        String theirs = Casync.run("make", dir.resolve("c.catar"), x);
        Cli.Run ours = Cli.run("make", "--input-format=tar", dir.resolve("j.catar"), filesOnly)
                .assertOk();
        assertSame(dir.resolve("c.catar"), dir.resolve("j.catar"), "implied directories");
        assertEquals(theirs, ours.out());
    }

    @Test
    void badTarsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.tar"), "this is not a tar archive at all".repeat(40));
        Cli.Run r = Cli.run("make", "--input-format=tar", dir.resolve("j.catar"), junk);
        assertTrue(r.exitCode() != 0, "fails");
        assertTrue(r.err().contains("junk.tar"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path up = dir.resolve("up.tar");
        Files.writeString(dir.resolve("evil"), "x");
        run("tar", "--format=posix", "-C", dir, "-cf", up, "--transform=s,^,../,", "evil");
        r = Cli.run("make", "--input-format=tar", dir.resolve("k.catar"), up);
        assertTrue(r.exitCode() != 0 && r.err().contains(".."), r.err());
        assertTrue(Files.notExists(dir.resolve("k.catar")), "nothing written");
        r = Cli.run("make", "--input-format=tar", dir.resolve("k.caibx"), up);
        assertTrue(r.exitCode() != 0 && r.err().contains("--input-format=tar"), r.err());
    }

    /** diff -r --no-dereference, but fifos and devices, which diff cannot compare, are no difference. */
    static void assertNoDiff(Path a, Path b) throws Exception {
        Process p = new ProcessBuilder("diff", "-r", "--no-dereference", a.toString(), b.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        List<String> real = out.lines()
                .filter(l -> !l.matches("File .* is a (fifo|character special file) while file .* is a \\1"))
                .toList();
        assertEquals(List.of(), real, "diff -r --no-dereference " + a + " " + b);
    }

    @Test
    void tarOutputExtractsToWhatCasyncExtracts(@TempDir Path dir) throws Exception {
        Path catar = dir.resolve("c.catar");
        Casync.run("make", "--store=" + dir.resolve("s.castr"), dir.resolve("c.caidx"), extracted);
        Casync.run("make", catar, extracted);
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Casync.run("extract", catar, theirs);
        // from a .catar into a file, and from a .caidx to standard output
        Cli.run("extract", "--output-format=tar", catar, dir.resolve("out.tar")).assertOk();
        Process p = Cli.start(
                null,
                "extract",
                "--output-format=gnu-tar",
                "--store=" + dir.resolve("s.castr"),
                dir.resolve("c.caidx"),
                "-");
        Path piped = dir.resolve("piped.tar");
        try (InputStream in = p.getInputStream()) {
            Files.copy(in, piped);
        }
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertArrayEquals(Files.readAllBytes(dir.resolve("out.tar")), Files.readAllBytes(piped), "same tar");
        Path ours = Files.createDirectories(dir.resolve("ours"));
        run("tar", "--xattrs", "--numeric-owner", "-xpf", dir.resolve("out.tar"), "-C", ours);
        assertNoDiff(theirs, ours);
        assertEquals(Casync.run("mtree", theirs), Casync.run("mtree", ours), "casync mtree");
        // all the metadata casync stores (xattrs, nanosecond times, owners, modes) at once
        assertEquals(Casync.run("digest", "--with=best", theirs), Casync.run("digest", "--with=best", ours), "digest");
        assertTrue(Files.isSymbolicLink(ours.resolve("dangling")) && Files.exists(ours.resolve("null")));
    }

    /** casync's stat of an archive and a path in it: standard output and exit status. */
    static String casyncStat(Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Casync.binary(), "stat"));
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return out + "exit " + p.exitValue();
    }

    @ParameterizedTest(name = "stat X.catar PATH {0}")
    @ValueSource(strings = {"", "--without=all", "--with=unix --with=32bit-uids --digest=sha256"})
    void statOfArchivesAsCasync(String options, @TempDir Path dir) throws Exception {
        Path catar = dir.resolve("c.catar");
        Casync.run(cmd(options, catar, extracted));
        Casync.run(cmd(options, "--store=" + dir.resolve("s.castr"), dir.resolve("c.caidx"), extracted));
        String[] paths = {
            "",
            "/",
            "dir01",
            "dir01/file 1.dat",
            "/dir03/",
            "dir04//file 17.dat",
            "symlink",
            "dangling",
            "fifo",
            "null",
            "sparse",
            "line\nbreak and space",
            "nothere",
            "./fifo",
            "dir01/nothere"
        };
        for (String p : paths) {
            List<Object> args = new ArrayList<>(List.of(catar));
            if (!p.isEmpty()) {
                args.add(p);
            }
            List<Object> statArgs = new ArrayList<>(List.of("stat"));
            statArgs.addAll(args);
            Cli.Run ours = Cli.run(statArgs.toArray());
            assertEquals(
                    casyncStat(args.toArray()), ours.out() + "exit " + ours.exitCode(), "stat " + options + " " + p);
        }
        Object[] idx = {"--store=" + dir.resolve("s.castr"), dir.resolve("c.caidx"), "dir01/file 2.dat"};
        List<Object> statIdx = new ArrayList<>(List.of("stat"));
        statIdx.addAll(Arrays.asList(idx));
        Cli.Run ours = Cli.run(statIdx.toArray());
        assertEquals(casyncStat(idx), ours.out() + "exit " + ours.exitCode(), "stat of a .caidx");
    }
}
