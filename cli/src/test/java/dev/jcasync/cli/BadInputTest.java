package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind: one line on stderr naming what is wrong, a non-zero exit, and nothing
 * (not even a temporary file) left at the output path.
 */
class BadInputTest {
    @TempDir
    Path dir;

    Path input;
    Path index;
    Path store;
    Path output;
    byte[] data;

    @BeforeEach
    void makeGoodIndex() throws IOException {
        data = TestData.random(3, 1 << 20);
        input = TestData.write(dir, "input.bin", data);
        index = dir.resolve("good.caibx");
        store = dir.resolve("store.castr");
        output = dir.resolve("out.img");
        Cli.run("make", "--store=" + store, index, input).assertOk();
    }

    private Cli.Run extractFails(Path idx, String... mustMention) throws IOException {
        Cli.Run run = Cli.run("extract", "--store=" + store, idx, output);
        assertFails(run, mustMention);
        assertNoOutputLeft();
        return run;
    }

    private static void assertFails(Cli.Run run, String... mustMention) {
        assertTrue(run.exitCode() != 0, "exit code must be non-zero");
        List<String> lines = run.errLines();
        assertEquals(1, lines.size(), "exactly one error line, got: " + run.err());
        assertTrue(lines.get(0).startsWith("jcasync: "), lines.get(0));
        for (String word : mustMention) {
            assertTrue(lines.get(0).contains(word), "error should mention '" + word + "': " + lines.get(0));
        }
    }

    private void assertNoOutputLeft() throws IOException {
        assertFalse(Files.exists(output), "output must not exist after a failed extract");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".#")), "temporary file left behind");
        }
    }

    private Path copyIndex(byte[] bytes) throws IOException {
        return TestData.write(dir, "bad.caibx", bytes);
    }

    @Test
    void truncatedIndex() throws IOException {
        byte[] good = Files.readAllBytes(index);
        for (int cut : new int[] {1, 39, 40, good.length - 50}) {
            Path bad = copyIndex(Arrays.copyOf(good, good.length - cut));
            extractFails(bad, "bad.caibx");
        }
    }

    @Test
    void corruptedIndexHeaderAndTable() throws IOException {
        byte[] good = Files.readAllBytes(index);
        byte[] magic = good.clone();
        magic[8] ^= 0x40;
        extractFails(copyIndex(magic), "bad.caibx", "offset 8");
        byte[] order = good.clone();
        order[64 + 40] = 0; // second item's end offset no longer after the first
        order[64 + 41] = 0;
        order[64 + 42] = 0;
        extractFails(copyIndex(order), "bad.caibx", "offset 104");
    }

    @Test
    void indexEntryWithUnknownChunk() throws IOException {
        byte[] bad = Files.readAllBytes(index);
        bad[64 + 40 + 8 + 5] ^= 1; // second chunk's id
        extractFails(copyIndex(bad), "not found", "offset ");
    }

    @Test
    void chunkWhoseContentDoesNotMatchItsId() throws IOException {
        List<String> chunks = Cli.run("list", index).assertOk().out().lines().toList();
        String[] first = chunks.get(0).split(" ");
        String[] second = chunks.get(1).split(" ");
        Path victim = store.resolve(first[2].substring(0, 4)).resolve(first[2] + ".cacnk");
        Path other = store.resolve(second[2].substring(0, 4)).resolve(second[2] + ".cacnk");
        Files.delete(victim);
        Files.copy(other, victim);
        extractFails(index, first[2], "corrupt", "offset 0");
    }

    @Test
    void chunkFileThatIsNotCompressedData() throws IOException {
        String id = Cli.run("list", index)
                .assertOk()
                .out()
                .lines()
                .findFirst()
                .orElseThrow()
                .split(" ")[2];
        Path victim = store.resolve(id.substring(0, 4)).resolve(id + ".cacnk");
        Files.delete(victim);
        Files.write(victim, "garbage".getBytes());
        extractFails(index, id, "corrupt");
    }

    @Test
    void missingChunk() throws IOException {
        String[] third =
                Cli.run("list", index).assertOk().out().lines().toList().get(2).split(" ");
        Files.delete(store.resolve(third[2].substring(0, 4)).resolve(third[2] + ".cacnk"));
        extractFails(index, third[2], "not found", store.toString(), "offset " + third[0]);
    }

    @Test
    void failedExtractLeavesAnExistingOutputUntouched() throws IOException {
        Files.write(output, "previous content".getBytes());
        byte[] bad = Files.readAllBytes(index);
        bad[100] ^= 1;
        Cli.Run run = Cli.run("extract", "--store=" + store, copyIndex(bad), output);
        assertFails(run, "not found");
        assertEquals("previous content", Files.readString(output));
    }

    @Test
    void unreadableInput() {
        Path newIndex = dir.resolve("new.caibx");
        assertFails(
                Cli.run("make", "--store=" + store, newIndex, dir.resolve("absent.bin")), "absent.bin", "no such file");
        assertFalse(Files.exists(newIndex));
        assertFails(Cli.run("make", "--store=" + store, newIndex, dir), "directory");
        assertFalse(Files.exists(newIndex));
    }

    @Test
    void missingIndex() {
        assertFails(Cli.run("extract", "--store=" + store, dir.resolve("nope.caibx"), output), "nope.caibx");
    }

    @Test
    void invalidChunkSizes() {
        Path newIndex = dir.resolve("new.caibx");
        for (String spec : new String[] {"0", "1:2", "4K:2K:8K", "abc", "200M", "1K:2K:300M"}) {
            Cli.Run run = Cli.run("make", "--store=" + store, "--chunk-size=" + spec, newIndex, input);
            assertFails(run, "--chunk-size=" + spec);
            assertFalse(Files.exists(newIndex));
        }
    }

    @Test
    void maxBelowHashWindowIsRefusedForLongInputs() {
        Path newIndex = dir.resolve("new.caibx");
        assertFails(Cli.run("make", "--store=" + store, "--chunk-size=8:16:32", newIndex, input), "input.bin", "48");
        assertFalse(Files.exists(newIndex));
    }

    @Test
    void unknownDigestAndCompression() {
        Path newIndex = dir.resolve("new.caibx");
        assertFails(Cli.run("make", "--digest=md5", newIndex, input), "md5");
        assertFails(Cli.run("make", "--compression=brotli", newIndex, input), "brotli");
        assertFalse(Files.exists(newIndex));
    }

    @Test
    void usageErrorsExitWithTwo() {
        Cli.Run run = Cli.run("extract"); // without OUTPUT, extract writes to stdout (as casync); INDEX is needed
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("INDEX"), run.err());
        assertEquals(2, Cli.run("frobnicate").exitCode());
    }

    /**
     * Every option value is typed: a bad one is a usage error (exit 2) with one line naming the
     * option and the value, before any work starts (nothing written, no store created).
     */
    @Test
    void badOptionValuesAreUsageErrorsOnEveryCommand() throws IOException {
        Path newIndex = dir.resolve("new.caibx");
        Path newStore = dir.resolve("new.castr");
        String[][] cases = {
            {"make", "--chunk-size=foo"},
            {"make", "--digest=md5"},
            {"make", "--compression=brotli"},
            {"make", "--concurrency=0"},
            {"make", "--concurrency=many"},
            {"make", "--rate-limit-bps=0"},
            {"make", "--rate-limit-bps=fast"},
            {"make", "--what=everything"},
            {"make", "--log-level=loud"},
            {"make", "--exclude-nodump=maybe"},
            {"make", "--uid-shift=abc"},
            {"make", "--uid-range=lots"},
            {"extract", "--concurrency=-1"},
            {"extract", "--seed-output=perhaps"},
            {"extract", "--progress=loud"},
            {"extract", "--reflink=2"},
            {"extract", "--hardlink=sometimes"},
            {"extract", "--punch-holes=x"},
            {"extract", "--delete=x"},
            {"extract", "--undo-immutable=x"},
            {"extract", "--recursive=x"},
            {"extract", "--mkdir=x"},
            {"extract", "--uid-shift=65535"},
            {"extract", "--rate-limit-bps=-5"},
            {"extract", "--chunk-size=1:2"},
            {"extract", "--digest=md5"},
            {"extract", "--compression=brotli"},
            {"extract", "--what=nothing"},
            {"extract", "-l", "chatty"},
            {"digest", "--digest=sha1"},
            {"digest", "--what=blobby"},
            {"digest", "--chunk-size=abc"},
            {"list", "--what=x"},
            {"list", "--exclude-file=x"},
            {"info", "--concurrency=0"},
            {"cache", "--compression=brotli"},
            {"cache", "--concurrency=0"},
            {"chop", "--compression=rar"},
            {"chop", "--concurrency=0"},
            {"verify", "--digest=md5"},
            {"verify", "--concurrency=zero"},
            {"prune", "--grace=soon"},
            {"gc", "--grace=1y"},
            {"gc", "--digest=x"},
            {"serve", "--threads=0"},
            {"serve", "--listen=nowhere:port"},
            {"mtree", "--what=x"},
            {"stat", "--delete=x"},
        };
        for (String[] c : cases) {
            String option = c[1];
            List<String> args = new java.util.ArrayList<>(List.of(c));
            if (c[0].equals("cache")) {
                args.add("--cache=" + dir.resolve("cache.castr"));
            }
            args.add("--store=" + newStore);
            switch (c[0]) {
                case "make", "chop" -> args.addAll(List.of(newIndex.toString(), input.toString()));
                case "extract" -> args.addAll(List.of(index.toString(), output.toString()));
                case "verify", "serve" -> {}
                default -> args.add(index.toString());
            }
            Cli.Run run = Cli.run(args.toArray());
            assertEquals(2, run.exitCode(), args + ": " + run.err());
            assertEquals(1, run.errLines().size(), args + ": " + run.err());
            String named = option.equals("-l") ? "--log-level=" + c[2] : option;
            assertTrue(run.errLines().get(0).startsWith("jcasync: " + named + ": expected "), args + ": " + run.err());
            assertEquals("", run.out(), args + ": nothing on stdout");
            assertFalse(
                    Files.exists(newIndex) || Files.exists(newStore) || Files.exists(output), args + ": no work done");
        }
    }

    @Test
    void badCombinationsAreUsageErrorsToo() {
        Cli.Run what = Cli.run("make", "--what=blob", dir.resolve("new.caibx"), input);
        assertEquals(2, what.exitCode());
        assertEquals(1, what.errLines().size(), what.err());
        assertTrue(
                what.err()
                        .startsWith(
                                "jcasync: --what=blob: \"make\" operation may only be combined with --what=archive, "
                                        + "--what=archive-index, --what=blob-index"),
                what.err());
        Cli.Run json = Cli.run("make", "--json", "-", input);
        assertEquals(2, json.exitCode());
        assertEquals(1, json.errLines().size(), json.err());
    }
}
