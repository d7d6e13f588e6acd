package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcasync.vectors.Json;
import dev.jcasync.vectors.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where extract writes OUTPUT, as casync does and as RAUC relies on: standard output from its
 * current offset (a pipe, or a write-only descriptor positioned on a partition), symlinks followed
 * and kept, an existing file's mode kept, devices and FIFOs written through, a .caidx never sent to standard output.
 * Standard output is only ever tested in a separate jcasync process.
 */
class ExtractOutputTest {
    /** Where RAUC's descriptor points in the tests: 8 MiB into a 200 MiB "device". */
    private static final long OFFSET = 8L << 20;

    private static final long DEVICE_SIZE = 200L << 20;
    private static final byte FILL = (byte) 0xAA;

    @TempDir
    Path dir;

    byte[] v1;
    byte[] v2;
    Path index;
    Path store;
    Path seed;

    @BeforeEach
    void images() throws IOException {
        v1 = TestData.mixed(21, 12 << 20);
        v2 = v1.clone();
        System.arraycopy(TestData.random(22, 200_000), 0, v2, 3_000_000, 200_000);
        System.arraycopy(TestData.random(23, 5_000), 0, v2, 9_000_000, 5_000);
        index = dir.resolve("v2.caibx");
        store = dir.resolve("store.castr");
        Cli.run("make", "--store=" + store, index, TestData.write(dir, "v2.img", v2))
                .assertOk();
        seed = TestData.write(dir, "slot-a.img", v1); // the other slot: the old version
    }

    // ---- processes ----

    private static List<String> jcasync(Object... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return cmd;
    }

    /** What a process wrote to its stdout (a pipe) and stderr, and its exit code. */
    private record Output(int exitCode, byte[] out, String err) {}

    private static Output run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        return new Output(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String python() {
        for (String p : List.of("/usr/bin/python3", "/bin/python3")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("python3 is not installed, but CI=true: it sets up RAUC's positioned descriptor");
        }
        assumeTrue(false, "python3 not installed: cannot hand a positioned write-only descriptor to a command");
        return null;
    }

    /**
     * Runs {@code cmd} with file descriptor 1 opened O_WRONLY on {@code target} and positioned at
     * {@code offset} (as RAUC hands casync the slot's block device); returns stderr.
     */
    private static String runPositioned(Path target, long offset, List<String> cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of(
                python(),
                "-c",
                "import os, sys\n"
                        + "fd = os.open(sys.argv[1], os.O_WRONLY)\n"
                        + "os.lseek(fd, int(sys.argv[2]), os.SEEK_SET)\n"
                        + "os.dup2(fd, 1)\n"
                        + "os.close(fd)\n"
                        + "os.execv(sys.argv[3], sys.argv[3:])\n",
                target.toString(),
                Long.toString(offset)));
        full.addAll(cmd);
        Output o = run(full);
        assertEquals(0, o.exitCode(), String.join(" ", cmd) + ": " + o.err());
        assertEquals(0, o.out().length);
        return o.err();
    }

    /** A "device" of {@link #DEVICE_SIZE} bytes of {@link #FILL}. */
    private Path filledDevice(String name) throws IOException {
        Path p = dir.resolve(name);
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, FILL);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long at = 0; at < DEVICE_SIZE; at += block.length) {
                ByteBuffer b = ByteBuffer.wrap(block);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        return p;
    }

    /** The device holds {@code image} at {@link #OFFSET} and {@link #FILL} everywhere else. */
    private static void assertImageAtOffset(byte[] image, Path device) throws IOException {
        assertEquals(DEVICE_SIZE, Files.size(device), "the device was neither truncated nor extended");
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            byte[] block = new byte[1 << 20];
            for (long at = 0; at < DEVICE_SIZE; at += block.length) {
                ByteBuffer b = ByteBuffer.wrap(block);
                while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
                    // read on
                }
                for (int i = 0; i < block.length; i++) {
                    long pos = at + i;
                    byte expected = pos >= OFFSET && pos < OFFSET + image.length ? image[(int) (pos - OFFSET)] : FILL;
                    if (block[i] != expected) {
                        fail("byte " + pos + " of the device is " + block[i] + ", expected " + expected
                                + (pos < OFFSET
                                        ? " (before the image: must be untouched)"
                                        : pos >= OFFSET + image.length ? " (after the image: must be untouched)" : ""));
                    }
                }
            }
        }
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        return Files.mismatch(a, b) == -1;
    }

    // ---- standard output ----

    @Test
    void standardOutputIntoAPipe() throws Exception {
        Output dash = run(jcasync("extract", "--store=" + store, index, "-"));
        assertEquals(0, dash.exitCode(), dash.err());
        assertArrayEquals(v2, dash.out(), "extract IDX -");
        assertTrue(
                dash.err().contains("extracted " + v2.length + " bytes"), "the summary goes to stderr: " + dash.err());

        Output none = run(jcasync("extract", "-q", "--seed=" + seed, "--store=" + store, index));
        assertEquals(0, none.exitCode(), none.err());
        assertArrayEquals(v2, none.out(), "extract IDX (no OUTPUT)");

        Output json = run(jcasync("extract", "--json", "--store=" + store, index, "-"));
        assertEquals(0, json.exitCode(), json.err());
        assertArrayEquals(v2, json.out(), "with --json, stdout still carries only the image");
        Map<String, Object> j = Inspect.json(json.err());
        assertEquals("-", j.get("output"));
        assertEquals((long) v2.length, Inspect.number(j, "size"));
    }

    @Test
    void shellPipeline() throws Exception {
        String cmd = String.join(
                " ",
                jcasync("extract", "-q", "--store=" + store, index, "-").stream()
                        .map(s -> "'" + s + "'")
                        .toList());
        Output o = run(List.of("bash", "-c", "set -o pipefail; " + cmd + " | sha256sum"));
        assertEquals(0, o.exitCode(), o.err());
        String expected = java.util.HexFormat.of().formatHex(sha256(v2));
        assertTrue(
                new String(o.out(), StandardCharsets.UTF_8).startsWith(expected),
                new String(o.out(), StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void dryRunToStandardOutputWritesNothing() {
        Cli.Run dry =
                Cli.run("extract", "--dry-run", "--store=" + store, index, "-").assertOk();
        assertTrue(dry.out().startsWith("would extract " + v2.length + " bytes"), dry.out());
    }

    @Test
    void raucCallWritesAtTheDescriptorsOffsetAndNowhereElse() throws Exception {
        Path device = filledDevice("slot-b.img");
        String err = runPositioned(
                device, OFFSET, jcasync("extract", "--seed", seed, "--store", store, "--seed-output=no", index, "-"));
        assertImageAtOffset(v2, device);
        assertTrue(err.contains("from seeds:"), err);

        // /dev/stdout names the same descriptor: written through it, at its offset, not reopened.
        Path viaName = filledDevice("slot-c.img");
        runPositioned(
                viaName,
                OFFSET,
                jcasync("extract", "-q", "--store=" + store, "--seed-output=no", index, "/dev/stdout"));
        assertImageAtOffset(v2, viaName);
    }

    @Test
    void raucCallGivesTheBytesCasyncGives() throws Exception {
        String casync = Casync.binary();
        Path mine = filledDevice("jcasync.img");
        Path theirs = filledDevice("casync.img");
        runPositioned(
                mine, OFFSET, jcasync("extract", "--seed", seed, "--store", store, "--seed-output=no", index, "-"));
        // The "device" here is a regular file, so casync would try to reflink seed data into it, and
        // its reflink check ignores the descriptor's offset (an assertion fails); on a real block
        // device, RAUC's case, there is nothing to reflink. --reflink=no makes the file behave so.
        runPositioned(
                theirs,
                OFFSET,
                List.of(
                        casync,
                        "extract",
                        "--reflink=no",
                        "--seed",
                        seed.toString(),
                        "--store",
                        store.toString(),
                        "--seed-output=no",
                        index.toString(),
                        "-"));
        assertTrue(sameContent(theirs, mine), "jcasync and casync leave the device alike");
        assertImageAtOffset(v2, theirs);
    }

    // ---- links, devices, FIFOs ----

    @Test
    void symlinkToAFileIsFollowedAndKept() throws Exception {
        Path real = TestData.write(dir, "real.img", v1);
        Path link = Files.createSymbolicLink(dir.resolve("current.img"), Path.of("real.img"));
        Map<String, Object> j = Inspect.json(
                Cli.run("extract", "--json", "--store=" + store, index, link).assertOk());
        assertTrue(Files.isSymbolicLink(link), "the link survives");
        assertEquals(Path.of("real.img"), Files.readSymbolicLink(link));
        assertArrayEquals(v2, Files.readAllBytes(real), "its target holds the image");
        assertTrue(
                Inspect.number(Json.object(j.get("from_seeds")), "chunks") > 0,
                "the target's old content was a seed: " + j);
        assertEquals(List.of(), leftovers());

        Path dangling = Files.createSymbolicLink(dir.resolve("next.img"), Path.of("sub/new.img"));
        Files.createDirectory(dir.resolve("sub"));
        Cli.run("extract", "--store=" + store, index, dangling).assertOk();
        assertTrue(Files.isSymbolicLink(dangling));
        assertArrayEquals(
                v2, Files.readAllBytes(dir.resolve("sub/new.img")), "a link to nothing yet: its target is created");
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".#"))
                    .toList();
        }
    }

    @Test
    void replacedFileKeepsItsModeAndOwner() throws Exception {
        for (String mode : List.of("rw-------", "rw-r-----", "rwxr-x---")) {
            Path out = TestData.write(dir, "out-" + mode + ".img", v1);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString(mode));
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                Files.setAttribute(out, "unix:uid", 4242);
                Files.setAttribute(out, "unix:gid", 4243);
            }
            Object inode = Files.getAttribute(out, "unix:ino");
            Cli.run("extract", "-q", "--store=" + store, index, out).assertOk();
            assertArrayEquals(v2, Files.readAllBytes(out));
            assertTrue(!inode.equals(Files.getAttribute(out, "unix:ino")), "replaced by a rename");
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
            if (root) {
                assertEquals(4242, Files.getAttribute(out, "unix:uid"));
                assertEquals(4243, Files.getAttribute(out, "unix:gid"));
            }
        }
    }

    @Test
    void fileInAnUnwritableDirectoryIsWrittenInPlace() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("locked"));
        Path out = TestData.write(sub, "out.img", v1);
        Object inode = Files.getAttribute(out, "unix:ino");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            Process p = new ProcessBuilder("chattr", "+i", sub.toString())
                    .redirectErrorStream(true)
                    .start();
            String msg = new String(p.getInputStream().readAllBytes());
            assumeTrue(p.waitFor() == 0, "cannot make a directory unwritable for root here (chattr +i): " + msg);
        } else {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        try {
            assertFalse(Files.isWritable(sub));
            Map<String, Object> j = Inspect.json(
                    Cli.run("extract", "--json", "--store=" + store, index, out).assertOk());
            assertArrayEquals(v2, Files.readAllBytes(out));
            assertEquals(inode, Files.getAttribute(out, "unix:ino"), "the same file, written in place");
            assertTrue(Inspect.number(Json.object(j.get("in_place")), "chunks") > 0, "what was right stayed: " + j);
        } finally {
            if (root) {
                new ProcessBuilder("chattr", "-i", sub.toString())
                        .inheritIO()
                        .start()
                        .waitFor();
            } else {
                Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void symlinkToStandardOutputWritesToTheDescriptor() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("to-stdout"), Path.of("/dev/stdout"));
        Output o = run(jcasync("extract", "-q", "--store=" + store, index, link));
        assertEquals(0, o.exitCode(), o.err());
        assertArrayEquals(v2, o.out(), "the image went down the pipe");
        assertTrue(
                Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(Path.of("/dev/stdout")),
                "the link survives");
        assertEquals(List.of(), leftovers());

        Path device = filledDevice("slot.img");
        runPositioned(device, OFFSET, jcasync("extract", "-q", "--store=" + store, index, link));
        assertImageAtOffset(v2, device);
    }

    @Test
    void characterDeviceAndFifoAreWrittenThrough() throws Exception {
        Path toNull = Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"));
        Cli.run("extract", "-q", "--store=" + store, index, toNull).assertOk();
        assertTrue(Files.isSymbolicLink(toNull));
        assertFalse(Files.isRegularFile(Path.of("/dev/null")), "/dev/null is still a device");

        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Cli.run("extract", "-q", "--store=" + store, index, fifo).assertOk();
        assertArrayEquals(v2, read.get(1, TimeUnit.MINUTES));
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "still a FIFO");
    }

    // ---- archive indexes ----

    @Test
    void archiveIndexGoesIntoADirectoryNeverToStandardOutput() throws Exception {
        Path vectors = Vectors.locateVectors().resolve("catar");
        Path caidx = vectors.resolve("full-default.caidx");
        Output toStdout = run(jcasync("extract", "--store=" + vectors.resolve("full-default.castr"), caidx));
        assertEquals(1, toStdout.exitCode());
        assertEquals(0, toStdout.out().length, "no catar stream on stdout");
        assertTrue(toStdout.err().contains("DIR"), toStdout.err());
    }
}
