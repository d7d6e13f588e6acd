package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.vectors.Vectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading directory archives against the real casync: list, mtree and digest of every vector
 * .catar (and the .caidx through its store) print casync's bytes; extract rebuilds the same tree as
 * casync extract (types, contents, modes, owners, mtimes to the nanosecond, symlink targets, device
 * numbers, user.* xattrs, compared file by file, and casync's own mtree of both trees); broken
 * archives fail with one line naming the file and the offset, writing nothing outside DIR.
 */
@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
class CatarReadInteropTest {
    @TempDir
    Path dir;

    static Path vectors() {
        return Vectors.locateVectors().resolve("catar");
    }

    static Stream<String> archives() throws IOException {
        try (Stream<Path> s = Files.list(vectors())) {
            return s
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".catar") && !n.startsWith("neg-"))
                    .map(n -> n.substring(0, n.length() - ".catar".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("archives")
    void listMtreeAndDigestPrintWhatCasyncPrints(String name) throws Exception {
        Casync.binary();
        Path catar = vectors().resolve(name + ".catar");
        String list = Cli.run("list", catar).assertOk().out();
        String mtree = Cli.run("mtree", catar).assertOk().out();
        assertEquals(Files.readString(vectors().resolve(name + ".list")), list, name);
        assertEquals(Files.readString(vectors().resolve(name + ".mtree")), mtree, name);
        assertEquals(Casync.run("list", catar), list, name);
        assertEquals(Casync.run("mtree", catar), mtree, name);
        assertEquals(
                Casync.run("digest", catar), Cli.run("digest", catar).assertOk().out(), name);
    }

    @Test
    void archiveIndexReadsThroughItsStoreAsCasyncDoes() throws Exception {
        Path caidx = vectors().resolve("full-default.caidx");
        String store = "--store=" + vectors().resolve("full-default.castr");
        for (String verb : List.of("list", "mtree", "digest")) {
            String ours = Cli.run(verb, store, caidx).assertOk().out();
            assertEquals(Casync.run(verb, store, caidx), ours, verb);
            assertEquals(Cli.run(verb, vectors().resolve("full-default.catar")).out(), ours, verb);
        }
        Path j = dir.resolve("j");
        Path c = dir.resolve("c");
        Cli.run("extract", store, caidx, j).assertOk();
        Casync.run("extract", store, caidx, c);
        assertEquals(describe(c), describe(j));
    }

    @Test
    void aMissingChunkIsReportedAsSuchNotAsATruncatedArchive() throws Exception {
        Path store = dir.resolve("s.castr");
        List<Path> chunks;
        try (Stream<Path> s = Files.walk(vectors().resolve("full-default.castr"))) {
            chunks = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path chunk : chunks) {
            Path to = store.resolve(
                    vectors().resolve("full-default.castr").relativize(chunk).toString());
            Files.createDirectories(to.getParent());
            Files.copy(chunk, to);
        }
        Path missing = store.resolve(vectors()
                .resolve("full-default.castr")
                .relativize(chunks.get(chunks.size() / 2))
                .toString());
        Files.delete(missing);
        Cli.Run run =
                Cli.run("extract", "--store=" + store, vectors().resolve("full-default.caidx"), dir.resolve("out"));
        assertEquals(1, run.exitCode(), run.err());
        List<String> errors = run.errLines().stream()
                .filter(l -> !l.startsWith("jcasync: warning: "))
                .toList();
        assertEquals(1, errors.size(), run.err());
        String id = missing.getFileName().toString().replace(".cacnk", "");
        assertTrue(run.err().contains(id.substring(0, 16)), run.err());
        assertFalse(run.err().contains("ends early"), run.err());
    }

    @ParameterizedTest
    @MethodSource("archives")
    void extractBuildsTheTreeCasyncBuilds(String name) throws Exception {
        Casync.binary();
        Path catar = vectors().resolve(name + ".catar");
        Path j = dir.resolve("j");
        Path c = dir.resolve("c");
        Cli.Run run = Cli.run("extract", catar, j).assertOk();
        Casync.run("extract", catar, c);
        boolean times = !name.equals("full-minimal"); // no time flag: both trees have the time of extraction
        assertEquals(describe(c, times), describe(j, times), name + "; warnings: " + run.err());
        if (times && !name.equals("full-keep-nodump")) {
            // casync's mtree of a tree leaves out nodump entries; jcasync does not set chattr +d
            assertEquals(Casync.run("mtree", c), Casync.run("mtree", j), name);
        }
        // and again over the tree just made: the same result, nothing left over
        Cli.run("extract", catar, j).assertOk();
        assertEquals(describe(c, times), describe(j, times), name + " (second run)");
    }

    @Test
    void extractReadsStandardInput() throws Exception {
        Casync.binary();
        Path catar = vectors().resolve("full-default.catar");
        Path j = Files.createDirectory(dir.resolve("j"));
        Path c = dir.resolve("c");
        Cli.Run run = Cli.finish(Cli.start(catar, "extract", "-", j));
        assertEquals(0, run.exitCode(), run.err());
        Casync.run("extract", catar, c);
        assertEquals(describe(c), describe(j));
    }

    @Test
    void brokenArchivesFailWithOneLineAndWriteNothingOutside() throws Exception {
        byte[] good = Files.readAllBytes(vectors().resolve("example.catar"));
        Map<String, byte[]> broken = new java.util.LinkedHashMap<>();
        broken.put("truncated", java.util.Arrays.copyOf(good, 160));
        byte[] name = good.clone();
        System.arraycopy("..\0".getBytes(StandardCharsets.US_ASCII), 0, name, 64 + 16, 3);
        ByteBuffer.wrap(name, 64, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(19);
        broken.put("dotdot", name); // FILENAME "..": the rest no longer lines up, but the name is refused first
        byte[] lying = good.clone();
        lying[284 + 16] ^= 1; // the first goodbye item's offset
        broken.put("lying-goodbye", lying);
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge, 64, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE);
        broken.put("huge-filename", huge);
        Path box = Files.createDirectory(dir.resolve("box"));
        for (Map.Entry<String, byte[]> e : broken.entrySet()) {
            Path archive = Files.write(box.resolve(e.getKey() + ".catar"), e.getValue());
            Path out = box.resolve("out-" + e.getKey());
            Cli.Run run = Cli.run("extract", archive, out);
            assertEquals(1, run.exitCode(), e.getKey());
            assertEquals(1, run.errLines().size(), run.err());
            assertTrue(run.err().startsWith("jcasync: " + archive + ": at offset "), run.err());
            for (String verb : List.of("list", "mtree", "digest")) {
                Cli.Run r = Cli.run(verb, archive);
                assertEquals(1, r.exitCode(), verb + " " + e.getKey());
                assertEquals(1, r.errLines().size(), r.err());
                assertTrue(r.err().contains("at offset"), r.err());
            }
        }
        try (Stream<Path> s = Files.list(box)) {
            assertTrue(s.allMatch(p -> p.getFileName().toString().endsWith(".catar")
                    || p.getFileName().toString().startsWith("out-")));
        }
        try (Stream<Path> s = Files.walk(box)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".#")), "no temporary file left");
        }
    }

    /** Everything extract restores, per path (links not followed), sorted by path. */
    static List<String> describe(Path root) throws IOException {
        return describe(root, true);
    }

    static List<String> describe(Path root, boolean times) throws IOException {
        List<String> out = new ArrayList<>();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = s.sorted().toList();
        }
        for (Path p : paths) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            StringBuilder b = new StringBuilder(root.relativize(p).toString());
            int mode = (Integer) a.get("mode");
            b.append(" mode=").append(Integer.toOctalString(mode));
            b.append(" uid=").append(a.get("uid")).append(" gid=").append(a.get("gid"));
            if (times) {
                b.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
            }
            if (Files.isSymbolicLink(p)) {
                b.append(" link=").append(Files.readSymbolicLink(p));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                b.append(" size=").append(a.get("size")).append(" sha256=").append(sha256(p));
            } else if ((mode & 0170000) == 0060000 || (mode & 0170000) == 0020000) {
                b.append(" rdev=").append(a.get("rdev"));
            }
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                UserDefinedFileAttributeView x = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                for (String n : x.list().stream().sorted().toList()) {
                    ByteBuffer v = ByteBuffer.allocate(x.size(n));
                    x.read(n, v);
                    b.append(" user.")
                            .append(n)
                            .append('=')
                            .append(HexFormat.of().formatHex(v.array()));
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
