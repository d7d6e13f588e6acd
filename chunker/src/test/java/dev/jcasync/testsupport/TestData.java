package dev.jcasync.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.chunker.ByteArrayChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Shared helpers for the store module's tests: test vectors, deterministic data, file listings. */
public final class TestData {
    private TestData() {}

    /**
     * The casync test vectors directory: system property {@code jcasync.vectors}, else the first
     * directory D walking up from {@code user.dir} with {@code D/testdata/vectors/MANIFEST.json}.
     */
    public static Path vectorsDir() {
        String prop = System.getProperty("jcasync.vectors");
        if (prop != null && !prop.isEmpty()) {
            Path p = Paths.get(prop).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p.resolve("MANIFEST.json"))) {
                fail("jcasync.vectors=" + prop + " has no MANIFEST.json");
            }
            return p;
        }
        for (Path d = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("testdata/vectors").normalize();
            if (Files.isRegularFile(candidate.resolve("MANIFEST.json"))) {
                return candidate;
            }
        }
        return fail("casync test vectors not found: no D/testdata/vectors/MANIFEST.json above "
                + System.getProperty("user.dir") + " (set -Djcasync.vectors=DIR)");
    }

    public static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }

    public static String sha512_256Hex(byte[] data) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-512/256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static ReadableByteChannel channel(byte[] data) {
        return ByteArrayChannel.whole(data);
    }

    /** A channel that hands out at most a few bytes (pseudo-randomly 1..maxPiece) per read. */
    public static ReadableByteChannel trickle(byte[] data, int maxPiece, long seed) {
        return ByteArrayChannel.randomReads(data, seed, maxPiece);
    }

    /** All regular files and symlinks below {@code root} (empty if it does not exist). */
    public static List<Path> files(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of entries directly in {@code dir}. */
    public static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
