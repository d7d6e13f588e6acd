package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code make --with=X} / {@code --without=X} against the real casync: for every flag name and
 * group, and a few combinations, both tools index the same small file and the index bytes (which
 * carry the feature-flag word) must be identical. Also: extract accepts the options, unknown names
 * are refused by both, and {@code --with=help} prints what casync prints.
 */
class FeatureFlagsInteropTest {
    @TempDir
    static Path shared;

    static Path input;

    @BeforeAll
    static void input() throws IOException {
        input = TestData.write(shared, "input.bin", TestData.mixed(3, 300_000));
    }

    static Stream<String> commandLines() {
        List<String> lines = new ArrayList<>();
        for (String name : FeatureFlags.allNames().keySet()) {
            lines.add("--with=" + name);
            lines.add("--without=" + name);
        }
        lines.add("--with=unix --without=permissions");
        lines.add("--with=best --without=acl");
        lines.add("--with=unix --with=fat");
        lines.add("--with=acl --with=16bit-uids");
        lines.add("--with=permissions --with=read-only --with=sec-time --with=2sec-time");
        lines.add("--with=privileged --without=32bit-uids");
        lines.add("--without=all --with=unix");
        lines.add("--with=unix --digest=sha256");
        lines.add("--with=flag-nodump --with=chattr");
        lines.add("--with unix --without xattrs"); // separate values, as getopt takes them too
        return lines.stream();
    }

    @ParameterizedTest(name = "make {0}")
    @MethodSource("commandLines")
    void sameIndexAsCasync(String options, @TempDir Path dir) throws Exception {
        Casync.binary();
        List<Object> theirs = new ArrayList<>(List.of("make", "--store=" + dir.resolve("c.castr")));
        List<Object> ours = new ArrayList<>(List.of("make", "--store=" + dir.resolve("j.castr")));
        for (String o : options.split(" ")) {
            theirs.add(o);
            ours.add(o);
        }
        theirs.addAll(List.of(dir.resolve("c.caibx"), input));
        ours.addAll(List.of(dir.resolve("j.caibx"), input));
        String theirDigest = Casync.run(theirs.toArray());
        String ourDigest = Cli.run(ours.toArray()).assertOk().out();
        byte[] expected = Files.readAllBytes(dir.resolve("c.caibx"));
        assertArrayEquals(
                expected,
                Files.readAllBytes(dir.resolve("j.caibx")),
                () -> String.format("index bytes differ; casync's word 0x%016x", word(expected)));
        assertEquals(theirDigest.strip(), ourDigest.strip(), "printed digest");
    }

    private static long word(byte[] index) {
        return java.nio.ByteBuffer.wrap(index)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong(16);
    }

    @Test
    void withUnixIsWhatRaucGets(@TempDir Path dir) throws Exception {
        // RAUC's order: positionals first, then --store and the extra args.
        Cli.run("make", dir.resolve("j.caibx"), input, "--store", dir.resolve("s.castr"), "--with=unix")
                .assertOk();
        assertEquals(0xb000000000001f09L, word(Files.readAllBytes(dir.resolve("j.caibx"))));
        Cli.run("make", dir.resolve("plain.caibx"), input, "--store", dir.resolve("s.castr"))
                .assertOk();
        assertEquals(0xb000000000000000L, word(Files.readAllBytes(dir.resolve("plain.caibx"))));
    }

    @Test
    void extractAcceptsThemAsCasyncDoes(@TempDir Path dir) throws Exception {
        Casync.binary();
        Path store = dir.resolve("s.castr");
        Path index = dir.resolve("x.caibx");
        Cli.run("make", "--with=unix", "--store=" + store, index, input).assertOk();
        Casync.run("extract", "--with=best", "--without=xattrs", "--store=" + store, index, dir.resolve("by-casync"));
        Cli.run("extract", "--with=best", "--without=xattrs", "--store=" + store, index, dir.resolve("by-jcasync"))
                .assertOk();
        assertArrayEquals(Files.readAllBytes(input), Files.readAllBytes(dir.resolve("by-casync")));
        assertArrayEquals(Files.readAllBytes(input), Files.readAllBytes(dir.resolve("by-jcasync")));
    }

    @Test
    void unknownNamesAreRefusedByBoth(@TempDir Path dir) throws Exception {
        String casync = Casync.binary();
        for (String bad : new String[] {"--with=bogus", "--without=UNIX", "--with="}) {
            Process p = new ProcessBuilder(
                            casync,
                            "make",
                            bad,
                            "--store=" + dir.resolve("c.castr"),
                            dir.resolve("c.caibx").toString(),
                            input.toString())
                    .redirectErrorStream(true)
                    .start();
            String casyncSays = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertNotEquals(0, p.waitFor(), "casync accepted " + bad);
            Cli.Run ours = Cli.run("make", bad, "--store=" + dir.resolve("j.castr"), dir.resolve("j.caibx"), input);
            assertNotEquals(0, ours.exitCode(), "jcasync accepted " + bad);
            assertEquals(1, ours.errLines().size(), ours.err());
            assertEquals("jcasync: " + casyncSays, ours.errLines().get(0), "casync's words");
            assertTrue(Files.notExists(dir.resolve("j.caibx")));
            Cli.Run extract = Cli.run(
                    "extract", bad, "--store=" + dir.resolve("j.castr"), dir.resolve("j.caibx"), dir.resolve("out"));
            assertNotEquals(0, extract.exitCode(), "extract accepted " + bad);
        }
    }

    @Test
    void withHelpListsTheFlagsAsCasync() throws Exception {
        Casync.binary();
        for (String form : new String[] {"--with=help", "--without=help"}) {
            String theirs = Casync.run(form);
            assertEquals(theirs, Cli.run(form).assertOk().out(), form);
            assertEquals(theirs, Cli.run("make", form).assertOk().out(), "make " + form);
        }
    }
}
