package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RAUC (Debian's rauc) with jcasync first on PATH as {@code casync}: {@code rauc convert} turns a
 * plain bundle into a casync bundle by running {@code casync make IMAGE.caibx IMAGE --store STORE
 * [--casync-args]}. The same conversion with the real casync must give the same bundle content: the
 * same manifest and byte-identical {@code rootfs.ext4.caibx} inside the squashfs (unpacked with
 * unsquashfs), and a store with the same chunk files holding the same data (jcasync's zstd frames
 * are not casync's byte for byte, so chunk files are compared decompressed). The bundles themselves
 * differ anyway (signing time, squashfs timestamps). Needs rauc, mksquashfs/unsquashfs, openssl and
 * casync; fails under CI=true without them (.ci/run installs them).
 */
class RaucConvertTest {
    @TempDir
    static Path dir;

    static Path plainBundle;
    static Path bin;

    @BeforeAll
    static void plainBundle() throws Exception {
        for (String tool : new String[] {"rauc", "mksquashfs", "unsquashfs", "openssl"}) {
            DropIn.require(
                    DropIn.onPath(tool) != null,
                    tool + " is not installed (apt-get install -y rauc squashfs-tools openssl)");
        }
        Casync.binary();
        bin = DropIn.binDir(dir.resolve("bin"));
        run(
                List.of(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        "key.pem",
                        "-out",
                        "cert.pem",
                        "-subj",
                        "/CN=jcasync-test",
                        "-days",
                        "3650"),
                null);
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.writeString(
                content.resolve("manifest.raucm"),
                "[update]\ncompatible=jcasync-test\nversion=1\n\n"
                        + "[bundle]\nformat=plain\n\n[image.rootfs]\nfilename=rootfs.ext4\n");
        Files.write(content.resolve("rootfs.ext4"), TestData.mixed(23, 6 << 20));
        plainBundle = dir.resolve("plain.raucb");
        run(
                List.of(
                        "rauc",
                        "bundle",
                        "--cert=cert.pem",
                        "--key=key.pem",
                        content.toString(),
                        plainBundle.toString()),
                null);
    }

    private static DropIn.Result run(List<String> command, Path binDir) throws Exception {
        return DropIn.run(command, dir, binDir, null).assertOk(String.join(" ", command));
    }

    /** Converts the plain bundle with the casync found on PATH (jcasync's when {@code binDir} is set); returns the unpacked bundle. */
    private static Path convert(String name, String casyncArgs, Path binDir) throws Exception {
        Path out = dir.resolve(name + ".raucb");
        List<String> cmd =
                new ArrayList<>(List.of("rauc", "convert", "--cert=cert.pem", "--key=key.pem", "--keyring=cert.pem"));
        if (casyncArgs != null) {
            cmd.add("--casync-args=" + casyncArgs);
        }
        cmd.addAll(List.of(plainBundle.toString(), out.toString()));
        DropIn.Result r = run(cmd, binDir);
        assertFalse(r.showsJavaTrace(), r.err());
        run(List.of("rauc", "info", "--keyring=cert.pem", out.toString()), binDir); // RAUC accepts what it made
        Path unpacked = dir.resolve(name + ".unpacked");
        run(List.of("unsquashfs", "-no-progress", "-d", unpacked.toString(), out.toString()), null);
        return unpacked;
    }

    @ParameterizedTest(name = "casync-args: {0}")
    @ValueSource(strings = {"", "--with=unix", "--with=unix --chunk-size=16384"})
    void convertWithJcasyncAsCasync(String casyncArgs) throws Exception {
        String args = casyncArgs.isEmpty() ? null : casyncArgs;
        String tag = casyncArgs.replaceAll("[^a-z0-9]+", "-");
        Path theirs = convert("casync" + tag, args, null);
        Path ours = convert("jcasync" + tag, args, bin);

        assertEquals(List.of("manifest.raucm", "rootfs.ext4.caibx"), listing(theirs), "casync's bundle content");
        assertEquals(listing(theirs), listing(ours), "files in the bundle");
        assertEquals(
                Files.readString(theirs.resolve("manifest.raucm")), Files.readString(ours.resolve("manifest.raucm")));
        byte[] index = Files.readAllBytes(theirs.resolve("rootfs.ext4.caibx"));
        assertArrayEquals(index, Files.readAllBytes(ours.resolve("rootfs.ext4.caibx")), "rootfs.ext4.caibx");
        long word = ByteBuffer.wrap(index).order(ByteOrder.LITTLE_ENDIAN).getLong(16);
        assertEquals(
                casyncArgs.contains("--with=unix") ? 0xb000000000001f09L : 0xb000000000000000L, word, "feature flags");

        Map<String, byte[]> theirChunks = chunks(dir.resolve("casync" + tag + ".castr"));
        Map<String, byte[]> ourChunks = chunks(dir.resolve("jcasync" + tag + ".castr"));
        assertTrue(theirChunks.size() > 10, "casync stored " + theirChunks.size() + " chunks");
        assertEquals(theirChunks.keySet(), ourChunks.keySet(), "chunk files in the store");
        for (String name : theirChunks.keySet()) {
            assertArrayEquals(theirChunks.get(name), ourChunks.get(name), name);
        }
        // Proof that RAUC ran jcasync, not the casync behind it on PATH: zstd-jni's frames are not
        // byte for byte those of casync's libzstd call, so some compressed chunk files differ.
        boolean someFileDiffers = false;
        for (String name : theirChunks.keySet()) {
            someFileDiffers |= !Arrays.equals(
                    Files.readAllBytes(dir.resolve("casync" + tag + ".castr").resolve(name)),
                    Files.readAllBytes(dir.resolve("jcasync" + tag + ".castr").resolve(name)));
        }
        assertTrue(
                someFileDiffers, "every compressed chunk file is byte-identical to casync's: was jcasync run at all?");
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    /** Store-relative chunk file name to its decompressed content. */
    private static Map<String, byte[]> chunks(Path store) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(store)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                try (InputStream in = new ZstdInputStream(Files.newInputStream(p))) {
                    out.put(store.relativize(p).toString(), in.readAllBytes());
                }
            }
        }
        return out;
    }
}
