package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extract with /tmp read-only and TMPDIR writable, as RAUC runs casync on a target: the JVM must
 * put nothing into /tmp (no hsperfdata; zstd-jni's native library unpacked into TMPDIR). Each case
 * runs in a private mount namespace ({@code unshare --mount}, as root) where /tmp is a read-only
 * bind of itself and a fresh tmpfs is the only writable place. The real casync runs under the same
 * conditions and both outputs must equal the input. Where namespaces cannot be made the test is
 * skipped with the reason, and fails under CI=true.
 */
class ReadOnlyTmpTest {
    @TempDir
    Path dir;

    Path input;
    Path index;
    Path store;
    Path bin;

    @BeforeEach
    void prepare() throws Exception {
        DropIn.Result probe = DropIn.run(
                List.of(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp && mount -t tmpfs tmpfs /mnt"),
                null,
                null,
                null);
        DropIn.require(
                probe.code() == 0,
                "cannot make a private mount namespace with a read-only /tmp (needs root and unshare): "
                        + probe.err().strip());
        input = TestData.write(dir, "input.img", TestData.mixed(17, 5 << 20));
        index = dir.resolve("image.caibx");
        store = dir.resolve("image.castr");
        Cli.run("make", "--store=" + store, index, input).assertOk();
        bin = DropIn.binDir(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("w"));
    }

    /**
     * Runs {@code script} in a namespace where /tmp (and /var/tmp) are read-only and $W is a fresh
     * tmpfs mounted with {@code wOptions}; the script sees CASYNC (the real one), INPUT, INDEX, STORE.
     */
    private DropIn.Result inReadOnlyTmp(String wOptions, String script) throws Exception {
        String setup = "set -e\n"
                + "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp\n"
                + "mount --bind /var/tmp /var/tmp && mount -o remount,bind,ro /var/tmp\n"
                + "mount -t tmpfs -o " + wOptions + " tmpfs \"$W\"\n"
                + "if touch /tmp/.jcasync-probe 2>/dev/null; then rm -f /tmp/.jcasync-probe; echo '/tmp is still writable' >&2; exit 97; fi\n"
                + "set +e\n";
        Map<String, String> env = Map.of(
                "W",
                dir.resolve("w").toString(),
                "CASYNC",
                Casync.binary(),
                "INPUT",
                input.toString(),
                "INDEX",
                index.toString(),
                "STORE",
                store.toString());
        return DropIn.run(
                List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", setup + script), dir, bin, env);
    }

    @Test
    void extractWithTmpdirWhileTmpIsReadOnly() throws Exception {
        DropIn.Result r = inReadOnlyTmp(
                "rw",
                ""
                        + "export TMPDIR=\"$W\"\n"
                        + "\"$CASYNC\" extract --store=\"$STORE\" \"$INDEX\" \"$W/by-casync\" || { echo \"real casync failed: $?\" >&2; exit 90; }\n"
                        + "casync extract --store=\"$STORE\" \"$INDEX\" \"$W/by-jcasync\" || { echo \"jcasync failed: $?\" >&2; exit 91; }\n"
                        + "cmp \"$INPUT\" \"$W/by-casync\" || exit 92\n"
                        + "cmp \"$W/by-casync\" \"$W/by-jcasync\" || exit 93\n"
                        + "ls -A \"$W\"\n");
        assertEquals(0, r.code(), "exit " + r.code() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        assertFalse(r.showsJavaTrace(), r.err());
        // Nothing left behind in TMPDIR: zstd-jni deletes its library once loaded.
        assertEquals(List.of("by-casync", "by-jcasync"), List.of(r.out().strip().split("\n")), r.out());
    }

    @Test
    void withoutTmpdirAWritableFallbackIsUsedOrOneLineSaysWhy() throws Exception {
        // /tmp and /var/tmp read-only, TMPDIR unset: nothing writable to unpack into. casync itself
        // needs no temporary file to extract a blob, so it succeeds; jcasync must at least fail in one line.
        DropIn.Result r = inReadOnlyTmp(
                "rw", "unset TMPDIR\n" + "casync extract --store=\"$STORE\" \"$INDEX\" \"$W/by-jcasync\"\n");
        assertFalse(r.showsJavaTrace(), r.err());
        if (r.code() != 0) {
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).startsWith("jcasync: cannot load the zstd native library"), r.err());
            assertTrue(lines.get(0).contains("TMPDIR"), "the line says what to do: " + r.err());
        }
    }

    @Test
    void aTmpdirThatForbidsExecutablesFailsInOneLine() throws Exception {
        DropIn.Result r = inReadOnlyTmp(
                "rw,noexec",
                "export TMPDIR=\"$W\"\n" + "casync extract --store=\"$STORE\" \"$INDEX\" \"$W/by-jcasync\"\n");
        assertFalse(r.showsJavaTrace(), r.err());
        assertNotEquals(0, r.code(), "zstd-jni cannot load a library from a noexec file system: " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("jcasync: cannot load the zstd native library"), r.err());
    }
}
