package dev.jcasync.archive.read;

import static dev.jcasync.archive.read.TestArchive.Node.dir;
import static dev.jcasync.archive.read.TestArchive.Node.file;
import static dev.jcasync.archive.read.TestArchive.Node.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.archive.read.TestArchive.Node;
import dev.jcasync.index.FeatureFlags;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder against casync's vectors (testdata/vectors/catar: every archive, its list and mtree
 * output as casync printed them) and against hostile archives, each broken in one way.
 */
class CatarReaderTest {
    static Stream<String> vectorNames() throws IOException {
        try (Stream<Path> files = Files.list(TestArchive.vectors())) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".mtree"))
                    .map(n -> n.substring(0, n.length() - ".mtree".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    private static CatarReader reader(byte[] archive) {
        return new CatarReader(Channels.newChannel(new ByteArrayInputStream(archive)), "test.catar");
    }

    /** list and mtree output of an archive, as the cli prints them. */
    static List<List<String>> print(byte[] archive) throws Exception {
        CatarReader r = reader(archive);
        List<String> list = new ArrayList<>();
        List<String> mtree = new ArrayList<>();
        for (CatarEvent e = r.next(); e != null; e = r.next()) {
            if (e.type() == CatarEvent.Type.LEAVE) {
                continue;
            }
            CatarNode n = e.node();
            list.add(CatarPrinter.listLine(n));
            String hex = null;
            if (n.kind() == CatarNode.Kind.FILE) {
                MessageDigest md = MessageDigest.getInstance(
                        (n.features() & FeatureFlags.SHA512_256) != 0 ? "SHA-512/256" : "SHA-256");
                InputStream in = r.payload();
                md.update(in.readAllBytes());
                hex = HexFormat.of().formatHex(md.digest());
            }
            mtree.add(CatarPrinter.mtreeLine(n, "sha512256digest", hex));
        }
        return List.of(list, mtree);
    }

    @ParameterizedTest
    @MethodSource("vectorNames")
    void listAndMtreeAreCasyncs(String name) throws Exception {
        Path dir = TestArchive.vectors();
        byte[] archive = Files.readAllBytes(dir.resolve(name + ".catar"));
        List<List<String>> printed = print(archive);
        assertEquals(Files.readAllLines(dir.resolve(name + ".list"), StandardCharsets.UTF_8), printed.get(0), name);
        assertEquals(Files.readAllLines(dir.resolve(name + ".mtree"), StandardCharsets.UTF_8), printed.get(1), name);
    }

    @Test
    void namesOnlyArchiveIsRefusedAsCasyncDoes() throws Exception {
        byte[] a = Files.readAllBytes(TestArchive.vectors().resolve("neg-names-only.catar"));
        CatarFormatException e = assertThrows(CatarFormatException.class, () -> drain(a));
        assertTrue(e.getMessage().contains("USER or GROUP"), e.getMessage());
    }

    @Test
    void usecTimeArchiveIsReadUnlikeCasync() throws Exception {
        // casync wants usec-time mtimes to be multiples of 1 000 000 ns (its bug, docs/catar.md 11.6)
        byte[] a = Files.readAllBytes(TestArchive.vectors().resolve("neg-usec-time.catar"));
        assertEquals(3, drain(a));
    }

    @Test
    void sipHashCheckValues() {
        assertEquals(0xb64acab6ca921906L, SipHash.ofName(new byte[0]));
        assertEquals(0x51ba5a19e058c7adL, SipHash.ofName(TestArchive.bytes("a")));
        assertEquals(0x768166ec6f1259fbL, SipHash.ofName(TestArchive.bytes("hello.txt")));
        assertEquals(0xe1d75ae6ee103d1cL, SipHash.ofName(TestArchive.bytes("hello world, this is longer than 16")));
        assertEquals(0x4c6e22f7fc516214L, SipHash.ofName(TestArchive.bytes("zażółć gęślą jaźń.txt")));
    }

    @Test
    void testArchivesAreValid() throws Exception {
        assertEquals(7, drain(TestArchive.of(file("a", "x"), dir("d", file("f", "yy")), symlink("l", "a"))));
    }

    // ---- hostile archives: each rejected with one line naming the offset ----

    static Stream<Object[]> badNames() {
        return Stream.of(
                new Object[] {"..", "\"..\""},
                new Object[] {".", "\".\""},
                new Object[] {"", "empty file name"},
                new Object[] {"a/b", "contains '/'"},
                new Object[] {"../../../tmp/x", "contains '/'"},
                new Object[] {"a\0b", "NUL"});
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badNamesAreRefused(String name, String says) {
        byte[] a = TestArchive.of(Node.named(TestArchive.bytes(name), file("x", "data")));
        CatarFormatException e = assertThrows(CatarFormatException.class, () -> drain(a));
        assertOneLine(e, 64, says);
    }

    @Test
    void duplicateAndUnsortedNamesAreRefused() {
        byte[] dup = TestArchive.of(symlink("a", "/tmp"), dir("a", file("x", "1")));
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(dup)), -1, "does not sort after");
        byte[] unsorted = TestArchive.of(file("b", "1"), file("a", "2"));
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(unsorted)), -1, "does not sort after");
    }

    @Test
    void lyingGoodbyeTablesAreRefused() throws Exception {
        byte[] good = TestArchive.of(file("a", "x"), file("b", "yy"));
        drain(good);
        int g = TestArchive.find(good, Records.GOODBYE);
        // each field of each item, and the tail's entry offset and size
        for (int field = 0; field < 3 * 2 + 2; field++) {
            byte[] a = good.clone();
            int at = g + 16 + 8 * field;
            TestArchive.putU64(a, at, TestArchive.getU64(a, at) + 1);
            CatarFormatException e = assertThrows(CatarFormatException.class, () -> drain(a), "field " + field);
            assertOneLine(e, -1, "GOODBYE");
        }
        // an item swapped for a copy of the other
        byte[] a = good.clone();
        System.arraycopy(a, g + 16, a, g + 40, 24);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(a)), g, "do not match");
        // one item too few: the table says the directory has one child
        byte[] fewer = TestArchive.concat(
                java.util.Arrays.copyOf(good, g + 16 + 24), java.util.Arrays.copyOfRange(good, g + 40, good.length));
        TestArchive.putU64(fewer, g, 16 + 24 + 24);
        TestArchive.putU64(fewer, fewer.length - 16, 16 + 24 + 24);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(fewer)), g, "lists 1 entries");
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] good = Files.readAllBytes(TestArchive.vectors().resolve("example.catar"));
        for (int n = 0; n < good.length; n++) {
            byte[] a = java.util.Arrays.copyOf(good, n);
            CatarFormatException e = assertThrows(CatarFormatException.class, () -> drain(a), "cut at " + n);
            assertOneLine(e, -1, "ends early");
            assertTrue(e.offset() <= n, e.getMessage());
        }
    }

    @Test
    void trailingBytesAreRefused() throws Exception {
        byte[] good = Files.readAllBytes(TestArchive.vectors().resolve("example.catar"));
        byte[] a = TestArchive.concat(good, new byte[1]);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(a)), good.length, "after the root");
    }

    @Test
    void hugeLengthFieldsAreRefusedWithoutAllocating() throws Exception {
        byte[] good = Files.readAllBytes(TestArchive.vectors().resolve("example.catar"));
        long[] sizes = {Long.MAX_VALUE, -1L, -2L, 1L << 40, 15, 0};
        for (long type :
                new long[] {Records.FILENAME, Records.PAYLOAD, Records.SYMLINK, Records.GOODBYE, Records.ENTRY}) {
            int at = TestArchive.find(good, type);
            for (long size : sizes) {
                byte[] a = good.clone();
                TestArchive.putU64(a, at, size);
                CatarFormatException e =
                        assertThrows(CatarFormatException.class, () -> drain(a), Records.name(type) + " size " + size);
                assertOneLine(e, -1, "");
            }
        }
        // a PAYLOAD claiming 2^62 bytes: streamed, found truncated, never buffered
        byte[] a = good.clone();
        TestArchive.putU64(a, TestArchive.find(good, Records.PAYLOAD), 1L << 62);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(a)), -1, "ends early");
    }

    @Test
    void unknownRecordsAndBadEntriesAreRefused() throws Exception {
        byte[] good = Files.readAllBytes(TestArchive.vectors().resolve("example.catar"));
        byte[] unknown = good.clone();
        TestArchive.putU64(unknown, 64 + 8, 0x1234L);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(unknown)), 64, "unknown record type");
        byte[] notDir = good.clone();
        TestArchive.putU64(notDir, 24, 0100644);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(notDir)), 0, "");
        byte[] otherWord = good.clone();
        TestArchive.putU64(otherWord, 90 + 16, TestArchive.getU64(good, 16) & ~FeatureFlags.WITH_XATTRS);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(otherWord)), 90, "differ");
        byte[] newBits = good.clone();
        TestArchive.putU64(newBits, 16, TestArchive.getU64(good, 16) | (1L << 40));
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(newBits)), 0, "does not know");
    }

    /** A 5 GiB file (more than any Java array holds) is streamed and skipped through a 64 KiB buffer. */
    @Test
    void payloadsAreStreamedNotBuffered() throws Exception {
        long n = 5L << 30;
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        for (long v : new long[] {64, Records.ENTRY, TestArchive.WORD, 040755, 0, 0, 0, 0}) {
            head.writeBytes(TestArchive.u64(v));
        }
        head.writeBytes(TestArchive.u64(20));
        head.writeBytes(TestArchive.u64(Records.FILENAME));
        head.writeBytes(TestArchive.bytes("big\0"));
        for (long v : new long[] {64, Records.ENTRY, TestArchive.WORD, 0100644, 0, 0, 0, 0, 16 + n, Records.PAYLOAD}) {
            head.writeBytes(TestArchive.u64(v));
        }
        long g = head.size() + n;
        java.io.ByteArrayOutputStream tail = new java.io.ByteArrayOutputStream();
        for (long v : new long[] {
            64,
            Records.GOODBYE,
            g - 64,
            g - 64,
            SipHash.ofName(TestArchive.bytes("big")),
            g,
            64,
            Records.GOODBYE_TAIL_MARKER
        }) {
            tail.writeBytes(TestArchive.u64(v));
        }
        byte[] prefix = head.toByteArray();
        byte[] suffix = tail.toByteArray();
        long total = prefix.length + n + suffix.length;
        java.nio.channels.ReadableByteChannel ch = new java.nio.channels.ReadableByteChannel() {
            long at;

            @Override
            public int read(java.nio.ByteBuffer dst) {
                if (at >= total) {
                    return -1;
                }
                int k = 0;
                while (dst.hasRemaining() && at < total) {
                    if (at < prefix.length) {
                        dst.put(prefix[(int) at]);
                        at++;
                        k++;
                    } else if (at < prefix.length + n) {
                        int z = (int) Math.min(dst.remaining(), prefix.length + n - at);
                        dst.position(dst.position() + z); // the buffer's bytes there are not looked at
                        at += z;
                        k += z;
                    } else {
                        dst.put(suffix[(int) (at - prefix.length - n)]);
                        at++;
                        k++;
                    }
                }
                return k;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
        CatarReader r = new CatarReader(ch, "big.catar");
        assertEquals(CatarEvent.Type.ENTER, r.next().type());
        CatarEvent file = r.next();
        assertEquals(n, file.node().payloadSize());
        assertEquals(CatarEvent.Type.LEAVE, r.next().type());
        assertEquals(null, r.next());
        assertEquals(total, r.position());
    }

    @Test
    void metadataPerEntryIsBounded() throws Exception {
        java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
        for (long v : new long[] {64, Records.ENTRY, TestArchive.WORD, 040755, 0, 0, 0, 0}) {
            a.writeBytes(TestArchive.u64(v));
        }
        byte[] value = new byte[65000];
        for (int i = 0; i < 200; i++) {
            byte[] name = TestArchive.bytes(String.format("user.x%05d\0", i));
            a.writeBytes(TestArchive.u64(16 + name.length + value.length));
            a.writeBytes(TestArchive.u64(Records.XATTR));
            a.writeBytes(name);
            a.writeBytes(value);
        }
        CatarFormatException e = assertThrows(CatarFormatException.class, () -> drain(a.toByteArray()));
        assertOneLine(e, -1, "bytes of metadata for one entry");
    }

    @Test
    void deepNestingIsBounded() {
        Node n = file("f", "x");
        for (int i = 0; i < CatarReader.MAX_DEPTH + 1; i++) {
            n = dir("d", n);
        }
        byte[] a = TestArchive.of(n);
        assertOneLine(assertThrows(CatarFormatException.class, () -> drain(a)), -1, "nested deeper");
    }

    static void assertOneLine(CatarFormatException e, long offset, String says) {
        String m = e.getMessage();
        assertFalse(m.contains("\n"), m);
        assertTrue(m.startsWith("test.catar: at offset "), m);
        assertTrue(m.contains(says), m);
        if (offset >= 0) {
            assertEquals(offset, e.offset(), m);
        }
    }

    /** Reads everything, payloads included; the number of events. */
    static int drain(byte[] archive) throws IOException {
        CatarReader r = reader(archive);
        int n = 0;
        for (CatarEvent e = r.next(); e != null; e = r.next()) {
            n++;
            if (e.node().kind() == CatarNode.Kind.FILE && e.type() == CatarEvent.Type.NODE) {
                r.payload().readAllBytes();
            }
        }
        return n;
    }
}
