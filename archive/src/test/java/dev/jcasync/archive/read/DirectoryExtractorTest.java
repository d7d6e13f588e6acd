package dev.jcasync.archive.read;

import static dev.jcasync.archive.read.TestArchive.Node.dir;
import static dev.jcasync.archive.read.TestArchive.Node.file;
import static dev.jcasync.archive.read.TestArchive.Node.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.archive.read.TestArchive.Node;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction into a directory: what is made, and that hostile archives write nothing outside it. */
@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
class DirectoryExtractorTest {
    @TempDir
    Path tmp;

    private List<String> warnings = new ArrayList<>();

    private void extract(byte[] archive, Path dest) throws IOException {
        new DirectoryExtractor(dest, warnings::add)
                .extract(
                        new CatarReader(Channels.newChannel(new ByteArrayInputStream(archive)), "test.catar"),
                        "test.catar");
    }

    /** Every path under {@code root}, links not followed. */
    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void makesFilesDirectoriesAndSymlinksWithTheirTimes() throws Exception {
        Path dest = tmp.resolve("out");
        extract(TestArchive.of(file("a", "x"), dir("d", file("f", "yy")), symlink("l", "../../outside")), dest);
        assertEquals(List.of("", "a", "d", "d/f", "l"), tree(dest));
        assertEquals("yy", Files.readString(dest.resolve("d/f")));
        assertEquals("../../outside", Files.readSymbolicLink(dest.resolve("l")).toString());
        FileTime t = Files.getLastModifiedTime(dest.resolve("d/f"), LinkOption.NOFOLLOW_LINKS);
        assertEquals(1_600_000_000_123_456_789L, t.to(java.util.concurrent.TimeUnit.NANOSECONDS));
        assertEquals(
                1_600_000_000_123_456_789L,
                Files.getLastModifiedTime(dest, LinkOption.NOFOLLOW_LINKS)
                        .to(java.util.concurrent.TimeUnit.NANOSECONDS));
        assertEquals(
                "rw-r--r--",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dest.resolve("a"))));
    }

    @Test
    void symlinkTargetsAreKeptByteForByte() throws Exception {
        Path dest = tmp.resolve("out");
        extract(TestArchive.of(symlink("l", "a//b/./")), dest);
        assertEquals("a//b/./", new String(readlink(dest.resolve("l")), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The link's target as the kernel has it (Java's Path would normalise it). */
    private static byte[] readlink(Path link) throws IOException {
        Process p = new ProcessBuilder("readlink", "-n", "--", link.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            assertEquals(0, p.waitFor());
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out;
    }

    @Test
    void aNameThatIsNotUtf8IsMadeByteForByte() throws Exception {
        Path dest = tmp.resolve("out");
        byte[] a = TestArchive.of(Node.named(new byte[] {'x', (byte) 0xff, '\n'}, file("x", "data")));
        extract(a, dest);
        // Java cannot name the file; the shell lists the raw bytes (octal escapes with ls -b)
        Process p = new ProcessBuilder("ls", "-b", "--", dest.toString()).start();
        String listed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        assertEquals("x\\377\\n\n", listed);
    }

    @Test
    void hostileNamesCreateNothingOutside() throws Exception {
        Path dest = tmp.resolve("out");
        List<String> before = tree(tmp);
        for (String name : new String[] {"..", ".", "", "../escape", "a/../../escape"}) {
            byte[] a = TestArchive.of(file("a", "x"), Node.named(TestArchive.bytes(name), file("x", "data")));
            assertThrows(CatarFormatException.class, () -> extract(a, dest), name);
        }
        List<String> after = tree(tmp);
        after = after.stream().filter(p -> !p.startsWith("out")).toList();
        assertEquals(before, after, "nothing written beside the destination");
        assertFalse(Files.exists(tmp.getParent().resolve("escape")));
    }

    @Test
    void aDirectoryNamedLikeASymlinkIsRefusedBeforeAnythingGoesThroughIt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dest = tmp.resolve("out");
        byte[] a = TestArchive.of(symlink("a", outside.toString()), dir("a", file("planted", "evil")));
        CatarFormatException e = assertThrows(CatarFormatException.class, () -> extract(a, dest));
        assertTrue(e.getMessage().contains("does not sort after"), e.getMessage());
        assertEquals(List.of(""), tree(outside), "nothing written through the symlink");
    }

    @Test
    void anExistingSymlinkInTheDestinationIsReplacedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dest = Files.createDirectories(tmp.resolve("out"));
        Files.createSymbolicLink(dest.resolve("d"), outside);
        Files.createSymbolicLink(dest.resolve("a"), outside.resolve("victim"));
        Files.writeString(dest.resolve("stale"), "not in the archive");
        extract(TestArchive.of(file("a", "x"), dir("d", file("f", "yy"))), dest);
        assertEquals(List.of(""), tree(outside), "nothing written through the symlinks");
        assertTrue(Files.isDirectory(dest.resolve("d"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(dest.resolve("a"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("", "a", "d", "d/f"), tree(dest), "what the archive does not hold is removed");
    }

    @Test
    void aTruncatedArchiveLeavesNoHalfWrittenFile() throws Exception {
        byte[] good = TestArchive.of(file("a", "0123456789".repeat(1000)));
        int payload = TestArchive.find(good, Records.PAYLOAD);
        byte[] cut = java.util.Arrays.copyOf(good, payload + 16 + 5000);
        Path dest = tmp.resolve("out");
        CatarFormatException e = assertThrows(CatarFormatException.class, () -> extract(cut, dest));
        assertTrue(e.getMessage().contains("ends early"), e.getMessage());
        assertEquals(List.of(""), tree(dest), "no file, no temporary file");
    }
}
