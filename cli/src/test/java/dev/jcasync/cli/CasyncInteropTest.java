package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests against the real casync: for each input and parameter set, both tools make
 * an index of the same file (the bytes must be identical, as must the printed digest), then each
 * extracts the other's index and store back to the exact input.
 */
class CasyncInteropTest {
    private static final String[] CHUNK_SIZES = {
        "auto", "16K", "1K:2K:8K", "64", "4096:4096:16384", "64K:64K:64K", "60000:64K:256K", "48:64:256"
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        int[] sizes = {0, 1, 47, 48, 49, 16383, 16384, 16385, 262143, 262144, 262145, 3 * 1024 * 1024 + 17};
        for (int size : sizes) {
            for (String digest : new String[] {"sha512-256", "sha256"}) {
                cases.add(Arguments.of("random-" + size, "auto", digest));
            }
        }
        cases.add(Arguments.of("zeros-1048577", "auto", "sha512-256"));
        cases.add(Arguments.of("text-2M", "auto", "sha512-256"));
        cases.add(Arguments.of("text-2M", "16K", "sha256"));
        for (String cs : CHUNK_SIZES) {
            for (String digest : new String[] {"sha512-256", "sha256"}) {
                // Tiny chunks mean one file per ~64 bytes: keep those inputs small.
                cases.add(Arguments.of(
                        cs.equals("64") || cs.equals("48:64:256") ? "mixed-512K" : "mixed-6M", cs, digest));
            }
            cases.add(Arguments.of("random-300000", cs, "sha512-256"));
        }
        return cases.stream();
    }

    static byte[] input(String name) {
        String[] p = name.split("-", 2);
        return switch (p[0]) {
            case "random" -> TestData.random(Integer.parseInt(p[1]), Integer.parseInt(p[1]));
            case "zeros" -> new byte[Integer.parseInt(p[1])];
            case "text" -> TestData.text(7, 2 << 20);
            case "mixed" -> TestData.mixed(11, p[1].equals("6M") ? 6 << 20 : 512 << 10);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} --chunk-size={1} --digest={2}")
    @MethodSource("cases")
    void sameIndexAndCrossExtract(String inputName, String chunkSize, String digest, @TempDir Path dir)
            throws Exception {
        Casync.binary();
        byte[] data = input(inputName);
        Path file = TestData.write(dir, "input.bin", data);
        Path theirs = dir.resolve("casync.caibx");
        Path ours = dir.resolve("jcasync.caibx");
        Path theirStore = dir.resolve("casync.castr");
        Path ourStore = dir.resolve("jcasync.castr");
        String args = "--chunk-size=" + chunkSize;

        String theirDigest = Casync.run("make", "--store=" + theirStore, args, "--digest=" + digest, theirs, file);
        String ourDigest = Cli.run("make", "--store=" + ourStore, args, "--digest=" + digest, ours, file)
                .assertOk()
                .out();
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), "index bytes differ from casync's");
        assertEquals(theirDigest.strip(), ourDigest.strip(), "printed blob digest");

        Path byCasync = dir.resolve("extracted-by-casync");
        Casync.run("extract", "--store=" + ourStore, ours, byCasync);
        assertArrayEquals(data, Files.readAllBytes(byCasync), "casync extracting jcasync's store");

        Path byUs = dir.resolve("extracted-by-jcasync");
        Cli.run("extract", "--store=" + theirStore, theirs, byUs).assertOk();
        assertArrayEquals(data, Files.readAllBytes(byUs), "jcasync extracting casync's store");
    }

    @ParameterizedTest(name = "--compression={0}")
    @MethodSource("compressions")
    void casyncReadsEveryCompressionWeWrite(String compression, @TempDir Path dir) throws Exception {
        Casync.binary();
        byte[] data = TestData.mixed(5, 2 << 20);
        Path file = TestData.write(dir, "input.bin", data);
        Path store = dir.resolve("s.castr");
        Cli.run("make", "--store=" + store, "--compression=" + compression, dir.resolve("i.caibx"), file)
                .assertOk();
        Casync.run("extract", "--store=" + store, dir.resolve("i.caibx"), dir.resolve("out"));
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }

    static Stream<String> compressions() {
        return Stream.of("zstd", "xz", "gzip", "none");
    }
}
