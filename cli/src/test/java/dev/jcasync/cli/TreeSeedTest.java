package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds for directory archives, against a real nginx: the next version of a tree extracted from a
 * .caidx over HTTP fetches exactly the chunks that no seed has, each once (counted in nginx's
 * access log), whether the seed is a directory, a .catar, an index paired with its tree, or the
 * output directory itself; the result is the tree that was archived ({@code diff -r
 * --no-dereference} and casync's mtree), and casync's own index of the tree works the same way.
 */
@org.junit.jupiter.api.Timeout(value = 5, unit = TimeUnit.MINUTES)
class TreeSeedTest {
    @TempDir
    Path dir;

    Path v1;
    Path v2;
    Path www;

    @BeforeEach
    void trees() throws Exception {
        v1 = Files.createDirectories(dir.resolve("v1"));
        for (int d = 0; d < 4; d++) {
            Path sub = Files.createDirectories(v1.resolve("usr/lib" + d));
            for (int f = 0; f < 8; f++) {
                int size = (f * 37_000 + d * 11_000) % 200_000 + f;
                Files.write(sub.resolve("file " + f + ".so"), TestData.mixed(d * 100L + f, size));
            }
        }
        Files.createSymbolicLink(v1.resolve("usr/lib0/link"), Path.of("file 1.so"));
        Files.createSymbolicLink(v1.resolve("dangling"), Path.of("nowhere"));
        Files.write(v1.resolve("empty"), new byte[0]);
        pinTimes(v1);
        v2 = dir.resolve("v2");
        run("cp", "-a", v1.toString(), v2.toString());
        byte[] changed = Files.readAllBytes(v2.resolve("usr/lib1/file 5.so"));
        System.arraycopy(TestData.random(99, 5000), 0, changed, changed.length / 2, 5000);
        Files.write(v2.resolve("usr/lib1/file 5.so"), changed);
        Files.write(v2.resolve("usr/lib2/new.so"), TestData.random(77, 150_000));
        Files.delete(v2.resolve("usr/lib3/file 7.so"));
        pinTimes(v2);
        www = Files.createDirectories(dir.resolve("www"));
        Cli.run("make", "--store=" + www.resolve("store"), www.resolve("v2.caidx"), v2)
                .assertOk();
    }

    /** The same mtimes in both trees, so an unchanged file encodes to the same bytes. */
    private static void pinTimes(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_123L));
                }
            }
        }
    }

    /** The chunks of {@code target} that the catar stream of {@code seedTree} lacks (encoded with target's flags). */
    private Set<ChunkId> missing(Path target, Path seedTree) throws IOException {
        Path seedIndex = dir.resolve("seed-" + System.nanoTime() + ".caidx");
        Cli.run("make", "--store=" + dir.resolve("scratch"), seedIndex, seedTree)
                .assertOk();
        Set<ChunkId> have = new HashSet<>();
        for (IndexEntry e : IndexReader.read(seedIndex).entries()) {
            have.add(e.id());
        }
        Set<ChunkId> need = new HashSet<>();
        for (IndexEntry e : IndexReader.read(target).entries()) {
            if (!have.contains(e.id())) {
                need.add(e.id());
            }
        }
        return need;
    }

    /** Extracts v2 over HTTP with {@code args}; checks the chunks fetched and the tree made. */
    private void extractFetchesOnly(Set<ChunkId> expected, Path out, Object... args) throws Exception {
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx-" + System.nanoTime()), "")) {
            List<Object> argv = new ArrayList<>(List.of("extract", "--store=" + nginx.url("store"), "--json"));
            argv.addAll(List.of(args));
            argv.add(nginx.url("v2.caidx"));
            argv.add(out);
            Cli.Run run = Cli.run(argv.toArray()).assertOk();
            List<String> chunks = nginx.requestedPaths("GET").stream()
                    .filter(p -> p.endsWith(".cacnk"))
                    .toList();
            Map<String, Integer> counts = new HashMap<>();
            chunks.forEach(p -> counts.merge(p, 1, Integer::sum));
            assertTrue(counts.values().stream().allMatch(n -> n == 1), "a chunk fetched twice: " + counts);
            Set<String> expectedNames = new HashSet<>();
            for (ChunkId id : expected) {
                expectedNames.add(id.toString());
            }
            Set<String> got = new HashSet<>();
            for (String p : chunks) {
                String name = p.substring(p.lastIndexOf('/') + 1);
                got.add(name.substring(0, name.length() - ".cacnk".length()));
            }
            assertEquals(expectedNames, got);
            Matcher m = Pattern.compile("\"transferred_bytes\":\\s*(\\d+)").matcher(run.out());
            assertTrue(m.find(), run.out());
            assertEquals(nginx.bodyBytes("GET", ".cacnk"), Long.parseLong(m.group(1)), run.out());
        }
        sameTree(v2, out);
    }

    private static void sameTree(Path expected, Path actual) throws Exception {
        assertEquals("", run("diff", "-r", "--no-dereference", expected.toString(), actual.toString()));
        assertEquals(Casync.run("mtree", expected), Casync.run("mtree", actual));
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        return out + (p.exitValue() == 0 ? "" : "exit " + p.exitValue());
    }

    @Test
    void aSeedDirectoryLeavesOnlyTheChangedChunksToFetch() throws Exception {
        Set<ChunkId> expected = missing(www.resolve("v2.caidx"), v1);
        int all = new HashSet<>(IndexReader.read(www.resolve("v2.caidx")).entries().stream()
                        .map(IndexEntry::id)
                        .toList())
                .size();
        assertTrue(!expected.isEmpty() && expected.size() < all / 2, expected.size() + " of " + all);
        extractFetchesOnly(expected, dir.resolve("out"), "--seed=" + v1);
        assertTrue(Files.isDirectory(v1.resolve("usr/lib3")) && Files.exists(v1.resolve("usr/lib3/file 7.so")));
    }

    @Test
    void theOutputDirectoryIsASeedUnlessSeedOutputIsNo() throws Exception {
        Path out = dir.resolve("out");
        run("cp", "-a", v1.toString(), out.toString());
        extractFetchesOnly(missing(www.resolve("v2.caidx"), v1), out);
        // Already the target: nothing to fetch.
        extractFetchesOnly(Set.of(), out);
        Set<ChunkId> all = missing(www.resolve("v2.caidx"), Files.createDirectories(dir.resolve("nothing")));
        extractFetchesOnly(all, out, "--seed-output=no");
    }

    @Test
    void archiveSeedsCatarAndIndexWithItsTree() throws Exception {
        Set<ChunkId> expected = missing(www.resolve("v2.caidx"), v1);
        Path catar = dir.resolve("v1.catar");
        Cli.run("make", catar, v1).assertOk();
        extractFetchesOnly(expected, dir.resolve("a"), "--seed=" + catar);
        Path oldIndex = dir.resolve("v1.caidx");
        Cli.run("make", "--store=" + dir.resolve("old"), oldIndex, v1).assertOk();
        extractFetchesOnly(expected, dir.resolve("b"), "--seed=" + oldIndex + ":" + v1);
        extractFetchesOnly(expected, dir.resolve("c"), "--seed=" + oldIndex + ":" + catar);
        Cli.Run bare = Cli.run(
                "extract",
                "--store=" + www.resolve("store"),
                "--seed=" + oldIndex,
                www.resolve("v2.caidx"),
                dir.resolve("d"));
        assertEquals(1, bare.exitCode());
        assertEquals(1, bare.errLines().size(), bare.err());
    }

    @Test
    void casyncsIndexOfTheTreeAndCasyncsExtractOfOurs() throws Exception {
        Path casyncStore = www.resolve("store"); // casync's chunks for the same tree are the same files
        Casync.run("make", "--store=" + casyncStore, www.resolve("v2-casync.caidx"), v2);
        assertEquals(
                Files.readString(www.resolve("v2.caidx"), java.nio.charset.StandardCharsets.ISO_8859_1),
                Files.readString(www.resolve("v2-casync.caidx"), java.nio.charset.StandardCharsets.ISO_8859_1));
        Path c = dir.resolve("by-casync");
        Casync.run("extract", "--store=" + casyncStore, "--seed=" + v1, www.resolve("v2.caidx"), c);
        sameTree(v2, c);
    }

    private static Object inode(Path p) throws IOException {
        return Files.getAttribute(p, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void hardlinkLinksUnchangedFilesToTheSeedsAndKeepsTheOutputsOwn() throws Exception {
        Path unchanged = Path.of("usr/lib0/file 3.so");
        Path changed = Path.of("usr/lib1/file 5.so");
        byte[] oldChanged = Files.readAllBytes(v1.resolve(changed));
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run(
                        "extract",
                        "--store=" + www.resolve("store"),
                        "--seed=" + v1,
                        "--hardlink=yes",
                        www.resolve("v2.caidx"),
                        out)
                .assertOk();
        sameTree(v2, out);
        assertEquals(inode(v1.resolve(unchanged)), inode(out.resolve(unchanged)));
        assertTrue(!inode(v1.resolve(changed)).equals(inode(out.resolve(changed))));
        assertTrue(java.util.Arrays.equals(oldChanged, Files.readAllBytes(v1.resolve(changed))), "seed left as it was");
        assertTrue(run.err().contains("hard-linked"), run.err());

        // The output as its own seed: unchanged files stay the same files.
        Path slot = dir.resolve("slot");
        run("cp", "-a", v1.toString(), slot.toString());
        Object before = inode(slot.resolve(unchanged));
        Cli.run("extract", "--store=" + www.resolve("store"), "--hardlink=yes", www.resolve("v2.caidx"), slot)
                .assertOk();
        sameTree(v2, slot);
        assertEquals(before, inode(slot.resolve(unchanged)));
    }

    @Test
    void reflinkClonesOrCopiesUnchangedFiles() throws Exception {
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run(
                        "extract",
                        "--store=" + www.resolve("store"),
                        "--seed=" + v1,
                        "--reflink=yes",
                        www.resolve("v2.caidx"),
                        out)
                .assertOk();
        sameTree(v2, out);
        Path unchanged = Path.of("usr/lib0/file 3.so");
        assertTrue(!inode(v1.resolve(unchanged)).equals(inode(out.resolve(unchanged))), "a new file, not a link");
        java.util.regex.Matcher m = Pattern.compile("(\\d+) cloned").matcher(run.err());
        assertTrue(m.find() && Long.parseLong(m.group(1)) > 20, run.err());
    }

    @Test
    void aSeedTreeThatCannotBeEncodedIsLeftOutWithAWarning() throws Exception {
        Path deep = dir.resolve("deep");
        Path p = deep;
        for (int i = 0; i < 70; i++) { // deeper than the 64 levels an archive may have
            p = p.resolve("d");
        }
        Files.createDirectories(p);
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run(
                        "extract", "--store=" + www.resolve("store"), "--seed=" + deep, www.resolve("v2.caidx"), out)
                .assertOk();
        sameTree(v2, out);
        assertTrue(run.err().contains("not used as a seed"), run.err());
    }
}
