package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extract restores what casync restores, checked against casync's own extraction of the same
 * archive with the tools that read each kind of metadata: POSIX ACLs (getfacl, access and default,
 * named users and groups), xattrs of every namespace (getfattr: user, trusted, security.selinux,
 * security.capability), chattr flags (lsattr), owners above 65535, nanosecond mtimes, holes (blocks
 * allocated: casync's differ by a block or two with its write boundaries, so both are only
 * required to be sparse), device nodes, FIFOs, names that are not UTF-8; and casync's extract options
 * (--without, --delete, --undo-immutable, --punch-holes, --uid-shift).
 */
class CatarMetadataInteropTest {
    @TempDir
    static Path work;

    static Path tree;
    static Path archive;

    @BeforeAll
    static void makeTree() throws Exception {
        Casync.binary();
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the metadata tests need root (chown, mknod, setcap, trusted xattrs), and CI=true");
            }
            assumeTrue(false, "the metadata tests need root");
        }
        tree = work.resolve("tree");
        sh("""
                set -e
                mkdir -p "$T/d/sub" && cd "$T"
                printf 'hello' > f && setfacl -m u:1234:rw,g:2345:r f
                setfacl -d -m u:1234:rwx,g:2345:rx,m::rwx d && setfacl -m u:4321:rx d
                printf 'caps' > cap && setcap cap_net_raw+ep cap
                printf 'x' > x && setfattr -n user.color -v blue x && setfattr -n trusted.t -v 0x00ff01 x
                setfattr -n security.selinux -v system_u:object_r:etc_t:s0 x
                printf 'flags' > flags && chattr +A +S flags
                truncate -s 3M sparse && printf 'middle' | dd of=sparse bs=1 seek=1500000 conv=notrunc status=none
                printf 'odd' > "$(printf 'na\\377me\\nx')"
                mkfifo fifo && mknod null c 1 3 && ln -s f link && ln -s /nowhere dangling
                printf 'owned' > owned && chown 100000:70000 owned
                touch sticky && chmod 1644 sticky && mkdir tmp && chmod 1777 tmp
                touch -h -d '2021-02-03 04:05:06.123456789' f d/sub link owned
                """, tree);
        archive = work.resolve("tree.catar");
        Casync.run("make", archive, tree);
    }

    /** Runs a bash script with $T set to {@code dir}; returns stdout, failing on a non-zero exit. */
    static String sh(String script, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
        pb.environment().put("T", dir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail("script failed:\n" + script + "\n" + out);
        }
        return out;
    }

    /** Every kind of metadata of a tree, as the standard tools print it, paths relative to the tree. */
    static String describe(Path dir) throws IOException, InterruptedException {
        return sh("""
                cd "$T"
                echo '== names'; find . -print0 | sort -z | tr '\\0' '\\n' | od -c | head -c 100000
                echo '== stat'; find . -print0 | sort -z | xargs -0 stat -c '%n %f %u %g %s %t:%T %.9Y'
                echo '== sparse'; [ "$(stat -c %b sparse)" -lt 64 ] && echo holes || echo allocated
                echo '== acl'; find . ! -type l -print0 | sort -z | xargs -0 getfacl -p -n 2>/dev/null
                echo '== xattr'; find . -print0 | sort -z | xargs -0 getfattr -h -d -m - -e hex 2>/dev/null
                echo '== flags'; find . \\( -type f -o -type d \\) -print0 | sort -z | xargs -0 lsattr -d
                echo '== data'; find . -type f -print0 | sort -z | xargs -0 sha256sum
                """, dir);
    }

    @Test
    void extractRestoresEveryKindOfMetadataAsCasyncDoes() throws Exception {
        Path c = work.resolve("c1");
        Path j = work.resolve("j1");
        Casync.run("extract", archive, c);
        Cli.Run run = Cli.run("extract", archive, j).assertOk();
        String expected = describe(c);
        assertTrue(expected.contains("user:1234:rw-") && expected.contains("default:user:1234:rwx"), expected);
        assertTrue(expected.contains("security.capability") && expected.contains("trusted.t=0x00ff01"), expected);
        assertEquals(expected, describe(j), "warnings: " + run.err());
        assertEquals(Casync.run("mtree", c), Casync.run("mtree", j));
        assertEquals(
                Casync.run("list", archive), Cli.run("list", archive).assertOk().out(), "sticky bits as casync");
        assertEquals("", run.err(), "nothing left unrestored");
        // and the archive jcasync makes of its own result is casync's archive, byte for byte
        Path again = work.resolve("j1.catar");
        Cli.run("make", again, j).assertOk();
        assertEquals(-1L, Files.mismatch(archive, again));
    }

    @Test
    void withoutLeavesOutWhatItNames() throws Exception {
        Path c = work.resolve("c2");
        Path j = work.resolve("j2");
        Casync.run("extract", "--without=acl", "--without=xattrs", "--without=fcaps", archive, c);
        Cli.run("extract", "--without=acl", "--without=xattrs", "--without=fcaps", archive, j)
                .assertOk();
        String expected = describe(c);
        assertFalse(expected.contains("user:1234"), expected);
        assertFalse(expected.contains("user.color"), expected);
        assertEquals(expected, describe(j));
    }

    @Test
    void uidShiftMovesOwnersAsCasyncDoes() throws Exception {
        Path c = work.resolve("c3");
        Path j = work.resolve("j3");
        Casync.run("extract", "--uid-shift=1000", "--uid-range=200000", archive, c);
        Cli.run("extract", "--uid-shift=1000", "--uid-range=200000", archive, j).assertOk();
        assertEquals(describe(c), describe(j));
        assertTrue(describe(j).contains("./owned 81a4 101000 71000"), describe(j));
    }

    @Test
    void deleteAndPunchHolesAsCasync() throws Exception {
        for (String tool : List.of("casync", "jcasync")) {
            Path out = work.resolve("del-" + tool);
            Files.createDirectories(out);
            Files.writeString(out.resolve("extra"), "not in the archive");
            if (tool.equals("casync")) {
                Casync.run("extract", "--delete=no", "--punch-holes=no", archive, out);
            } else {
                Cli.run("extract", "--delete=no", "--punch-holes=no", archive, out)
                        .assertOk();
            }
            assertTrue(Files.exists(out.resolve("extra")), tool + ": --delete=no keeps what the archive lacks");
            long blocks = Long.parseLong(sh("stat -c %b \"$T/sparse\"", out).strip());
            assertTrue(blocks >= 3 * 1024 * 1024 / 512, tool + ": --punch-holes=no writes the zeros: " + blocks);
        }
        Path j = work.resolve("del-jcasync");
        Cli.run("extract", archive, j).assertOk();
        assertFalse(Files.exists(j.resolve("extra")), "by default what the archive lacks goes");
        long blocks = Long.parseLong(sh("stat -c %b \"$T/sparse\"", j).strip());
        assertTrue(blocks < 64, "zero blocks are holes by default: " + blocks);
    }

    @Test
    void undoImmutableReplacesAnImmutableFile() throws Exception {
        Path j = work.resolve("j5");
        Cli.run("extract", archive, j).assertOk();
        sh("chattr +i \"$T/f\"", j);
        try {
            Cli.Run refused = Cli.run("extract", archive, j);
            assertEquals(1, refused.exitCode(), refused.err());
            assertEquals(1, refused.errLines().size(), refused.err());
            assertTrue(refused.err().contains("Operation not permitted"), refused.err());
            assertFalse(refused.err().contains("\tat "), refused.err());
            Cli.run("extract", "--undo-immutable=yes", archive, j).assertOk();
            assertFalse(sh("lsattr -d \"$T/f\"", j).split(" ")[0].contains("i"));
        } finally {
            sh("chattr -i \"$T/f\" 2>/dev/null || true", j);
        }
        try (var s = Files.walk(j)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".#")), "no temporary file left");
        }
    }

    @Test
    void aSubtreePathExtractsOneNodeIntoOutputAsCasyncDoes() throws Exception {
        for (String path : List.of("d", "/d/sub/", "f", "link", "d//sub")) {
            Path c = work.resolve("seek-c");
            Path j = work.resolve("seek-j");
            for (Path p : List.of(c, j)) {
                sh("rm -rf \"$T\" && mkdir -p \"$T\" && echo keep > \"$T/kept\"", p);
            }
            Casync.run("extract", archive, c, path);
            Cli.run("extract", archive, j, path).assertOk();
            for (Path p : List.of(c, j)) { // OUTPUT and its own file are the test's, not the archive's
                sh("touch -d @0 \"$T\" \"$T/kept\"", p);
            }
            assertEquals(describe(c), describe(j), path);
            assertTrue(Files.exists(j.resolve("kept")), "what OUTPUT held stays: " + path);
        }
        Cli.Run missing = Cli.run("extract", archive, work.resolve("seek-none"), "no/such");
        assertEquals(1, missing.exitCode(), missing.err());
        assertEquals(1, missing.errLines().size(), missing.err());
        assertTrue(missing.err().contains("not available in archive"), missing.err());
    }
}
