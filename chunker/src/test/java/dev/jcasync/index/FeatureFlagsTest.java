package dev.jcasync.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.vectors.Vectors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureFlags} against what casync 2 (Debian, SELinux-enabled) produced: the words it wrote
 * into blob indexes for every {@code --with=}/{@code --without=} name (recorded below from
 * {@code casync make --with=NAME x.caibx file}), and the words in the ENTRY records of the catar
 * vectors in testdata/vectors/catar for the command lines in their MANIFEST. The live comparison
 * with the casync binary is the cli module's FeatureFlagsInteropTest.
 */
class FeatureFlagsTest {
    /** {@code casync make --with=NAME} of a blob: the index word, as casync 2 wrote it. */
    private static final Map<String, Long> CASYNC_BLOB_WITH = new LinkedHashMap<>();

    static {
        Object[][] measured = {
            {"best", 0xb0000001ffeffe26L},
            {"unix", 0xb000000000001f09L},
            {"fat", 0xb00000000000e0c0L},
            {"chattr", 0xb000000003ef0000L},
            {"fat-attrs", 0xb00000000000e000L},
            {"privileged", 0xb0000001ec414406L},
            {"fuse", 0xb000000013efff22L},
            {"all", 0xb0000001ffeffe26L},
            {"16bit-uids", 0xb000000000000001L},
            {"32bit-uids", 0xb000000000000002L},
            {"user-names", 0xb000000000000004L},
            {"sec-time", 0xb000000000000008L},
            {"usec-time", 0xb000000000000010L},
            {"nsec-time", 0xb000000000000020L},
            {"2sec-time", 0xb000000000000040L},
            {"read-only", 0xb000000000000080L},
            {"permissions", 0xb000000000000100L},
            {"symlinks", 0xb000000000000200L},
            {"device-nodes", 0xb000000000000400L},
            {"fifos", 0xb000000000000800L},
            {"sockets", 0xb000000000001000L},
            {"flag-hidden", 0xb000000000002000L},
            {"flag-system", 0xb000000000004000L},
            {"flag-archive", 0xb000000000008000L},
            {"flag-append", 0xb000000000010000L},
            {"flag-noatime", 0xb000000000020000L},
            {"flag-compr", 0xb000000000040000L},
            {"flag-nocow", 0xb000000000080000L},
            {"flag-nodump", 0xb000000000000000L},
            {"flag-dirsync", 0xb000000000200000L},
            {"flag-immutable", 0xb000000000400000L},
            {"flag-sync", 0xb000000000800000L},
            {"flag-nocomp", 0xb000000001000000L},
            {"flag-projinherit", 0xb000000002000000L},
            {"subvolume", 0xb000000004000000L},
            {"subvolume-ro", 0xb00000000c000000L},
            {"xattrs", 0xb000000010000000L},
            {"acl", 0xb000000020000006L},
            {"selinux", 0xb000000040000000L},
            {"fcaps", 0xb000000080000000L},
            {"quota-projid", 0xb000000100000000L},
        };
        for (Object[] m : measured) {
            CASYNC_BLOB_WITH.put((String) m[0], (Long) m[1]);
        }
    }

    private static long blobWord(List<String> with, List<String> without, DigestAlgorithm digest) {
        return FeatureFlags.Selection.DEFAULT
                .with(with)
                .without(without)
                .resolve(FeatureFlags.BLOB_DEFAULT_WITH, digest)
                .value();
    }

    @Test
    void everyNameGivesCasyncsBlobWord() {
        assertEquals(CASYNC_BLOB_WITH.keySet(), FeatureFlags.allNames().keySet(), "the names casync accepts");
        for (Map.Entry<String, Long> e : CASYNC_BLOB_WITH.entrySet()) {
            assertEquals(
                    e.getValue(),
                    blobWord(List.of(e.getKey()), List.of(), DigestAlgorithm.SHA512_256),
                    "--with=" + e.getKey());
            // A blob starts from no "with" bit, so --without alone changes nothing.
            assertEquals(
                    0xb000000000000000L,
                    blobWord(List.of(), List.of(e.getKey()), DigestAlgorithm.SHA512_256),
                    "--without=" + e.getKey());
        }
        assertEquals(0xb000000000000000L, FeatureFlags.BLOB_DEFAULT.value());
        assertEquals(0x9000000000000000L, blobWord(List.of(), List.of(), DigestAlgorithm.SHA256));
        assertEquals(0x9000000000001f09L, blobWord(List.of("unix"), List.of(), DigestAlgorithm.SHA256));
    }

    @Test
    void groupsAreCasyncs() {
        Map<String, Long> n = FeatureFlags.allNames();
        assertEquals(0x1fffffe26L, n.get("best"));
        assertEquals(0x1f09L, n.get("unix"));
        assertEquals(0xe0c0L, n.get("fat"));
        assertEquals(0x3ff0000L, n.get("chattr"));
        assertEquals(0xe000L, n.get("fat-attrs"));
        assertEquals(0x1ec414407L, n.get("privileged"));
        assertEquals(0x13fffffbL, n.get("fuse"));
        assertEquals(0x1ffffffffL, n.get("all"));
        List<String> individual = FeatureFlags.individualNames();
        assertEquals(33, individual.size());
        for (int i = 0; i < individual.size(); i++) {
            assertEquals(1L << i, n.get(individual.get(i)), individual.get(i));
        }
        assertThrows(IllegalArgumentException.class, () -> FeatureFlags.parseName("UNIX"), "case-sensitive, as casync");
        assertThrows(IllegalArgumentException.class, () -> FeatureFlags.parseName(""));
        assertThrows(IllegalArgumentException.class, () -> FeatureFlags.parseName("help"));
    }

    @Test
    void archiveDefaultsAndSpecExamples() {
        FeatureFlags.Selection d = FeatureFlags.Selection.DEFAULT;
        long with = FeatureFlags.ARCHIVE_DEFAULT_WITH;
        assertEquals(0xb0000001ffeffe26L, FeatureFlags.ARCHIVE_DEFAULT.value());
        assertEquals(
                0xb0000001bfeffe26L,
                d.resolve(FeatureFlags.ARCHIVE_DEFAULT_WITH_NO_SELINUX, DigestAlgorithm.SHA512_256)
                        .value());
        assertEquals(
                0x90000001ffeffe26L, d.resolve(with, DigestAlgorithm.SHA256).value());
        assertEquals(
                0x30000001fffffe26L,
                d.withExcludeNodump(false)
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value());
        assertEquals(
                0xb0000001dfefff26L,
                d.without(List.of("acl"))
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value(),
                "--without=acl: permissions survive");
        assertEquals(
                0xb0000001dfeffe26L,
                d.with(List.of("best"))
                        .without(List.of("acl"))
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value(),
                "--with=best --without=acl: no permissions");
        assertEquals(
                0xf0000001ffeffe26L,
                d.withExcludeSubmounts(true)
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value());
        assertEquals(
                0xa0000001ffeffe26L,
                d.withExcludeFile(false)
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value());
        assertEquals(
                0xb000000000000000L,
                d.without(List.of("all"))
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value());
        // Repeated options OR; a --without wins over a --with of the same bit.
        assertEquals(
                0xb000000000001f09L & ~0x100L,
                d.with(List.of("unix"))
                        .without(List.of("permissions"))
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value());
        assertEquals(
                0xb00000000000ff09L,
                d.with(List.of("unix", "fat"))
                        .resolve(with, DigestAlgorithm.SHA512_256)
                        .value());
    }

    @Test
    void normalization() {
        assertEquals(0x2L, FeatureFlags.normalize(0x3L), "32-bit uids win over 16-bit");
        assertEquals(0x20L, FeatureFlags.normalize(0x78L), "nsec wins over the coarser times");
        assertEquals(0x10L, FeatureFlags.normalize(0x58L), "usec over sec and 2sec");
        assertEquals(0x8L, FeatureFlags.normalize(0x48L), "sec over 2sec");
        assertEquals(
                0x20000006L,
                FeatureFlags.normalize(0x20000180L),
                "acl: uids and names added, permissions and read-only dropped");
        assertEquals(0x20000001L, FeatureFlags.normalize(0x20000001L), "acl with 16-bit uids keeps them");
        assertEquals(0x100L, FeatureFlags.normalize(0x180L), "permissions over read-only");
        assertEquals(
                0x8000000000000000L, FeatureFlags.normalize(0x8000000000100000L), "nodump flag dropped when excluded");
        assertEquals(0x0000000000100000L, FeatureFlags.normalize(0x0000000000100000L));
        assertEquals(0xc000000L, FeatureFlags.normalize(0x8000000L), "subvolume-ro implies subvolume");
        assertThrows(IllegalArgumentException.class, () -> FeatureFlags.normalize(-1L));
        assertThrows(IllegalArgumentException.class, () -> FeatureFlags.normalize(0x200000000L));
        assertTrue(FeatureFlags.isNormalized(0xb0000001ffeffe26L));
        assertFalse(FeatureFlags.isNormalized(0xb000000000000003L));
        assertFalse(FeatureFlags.isNormalized(0xb000000000100000L));
        assertFalse(FeatureFlags.isNormalized(0xb000000008000000L));
        assertFalse(FeatureFlags.isNormalized(0x200000000L));
        assertThrows(IllegalArgumentException.class, () -> FeatureFlags.parseStrict(0xb000000000000003L));
        assertEquals(
                0xb000000000001f09L,
                FeatureFlags.parseStrict(0xb000000000001f09L).value());
        // normalize is idempotent over every single bit and every group
        for (long bits : FeatureFlags.allNames().values()) {
            long once = FeatureFlags.normalize(bits | FeatureFlags.EXCLUDE_NODUMP);
            assertEquals(once, FeatureFlags.normalize(once));
            assertTrue(FeatureFlags.isNormalized(once));
        }
    }

    @Test
    void accessors() {
        assertEquals(1, FeatureFlags.of(0xb0000001ffeffe26L).timeGranularityNanos());
        assertEquals(1_000_000_000L, FeatureFlags.of(0xb000000000001f09L).timeGranularityNanos());
        assertEquals(2_000_000_000L, FeatureFlags.of(0xb00000000000e0c0L).timeGranularityNanos());
        assertEquals(1_000, FeatureFlags.of(0x10L).timeGranularityNanos());
        assertEquals(0, FeatureFlags.BLOB_DEFAULT.timeGranularityNanos());
        assertEquals(32, FeatureFlags.ARCHIVE_DEFAULT.uidBits());
        assertEquals(16, FeatureFlags.of(0x1f09L).uidBits());
        assertEquals(0, FeatureFlags.BLOB_DEFAULT.uidBits());
        assertEquals(
                DigestAlgorithm.SHA256, FeatureFlags.of(0x9000000000000000L).digest());
        assertEquals(DigestAlgorithm.SHA512_256, FeatureFlags.BLOB_DEFAULT.digest());
        assertEquals(
                FeatureFlags.of(0x9000000000000000L), FeatureFlags.BLOB_DEFAULT.withDigest(DigestAlgorithm.SHA256));
        assertEquals(
                "16bit-uids sec-time permissions symlinks device-nodes fifos sockets",
                FeatureFlags.of(0x1f09L).describe());
        assertEquals("0xb000000000001f09", FeatureFlags.of(0xb000000000001f09L).toString());
        // chattr a, A, c, C, d, D, i, S, m, P and FAT hidden/system/archive
        int allChattr = 0x20 | 0x80 | 0x4 | 0x800000 | 0x40 | 0x10000 | 0x10 | 0x8 | 0x400 | 0x20000000;
        assertEquals(FeatureFlags.CHATTR, FeatureFlags.fromChattr(allChattr | 0x80000 /* e: extents, unmapped */));
        assertEquals(allChattr, FeatureFlags.toChattr(FeatureFlags.CHATTR | FeatureFlags.FAT_ATTRS));
        assertEquals(FeatureFlags.WITH_FLAG_IMMUTABLE, FeatureFlags.fromChattr(0x10));
        assertEquals(FeatureFlags.FAT_ATTRS, FeatureFlags.fromFatAttrs(0x2 | 0x4 | 0x20 | 0x1));
        assertEquals(0x26, FeatureFlags.toFatAttrs(FeatureFlags.ARCHIVE_DEFAULT.value()));
        long mask = FeatureFlags.widen(0x1L | 0x8L | 0x20000000L | 0x8000000L);
        assertEquals(0x3L | 0x78L | 0x180L | 0x20000000L | 0xc000000L, mask);
    }

    @Test
    void indexReaderRefusesWhatCasyncRefuses() throws Exception {
        for (long bad :
                new long[] {0xb000000000000003L, 0xb000000000100000L, 0xb000000008000000L, 0xb000000000000180L}) {
            byte[] bytes = IndexWriter.toBytes(new BlobIndex(bad, ChunkSizes.DEFAULT, List.of()));
            InvalidIndexException e =
                    assertThrows(InvalidIndexException.class, () -> IndexReader.parse(bytes, "x.caibx"));
            assertTrue(e.getMessage().contains("not normalized"), e.getMessage());
        }
        byte[] unix = IndexWriter.toBytes(new BlobIndex(0xb000000000001f09L, ChunkSizes.DEFAULT, List.of()));
        assertEquals(0xb000000000001f09L, IndexReader.parse(unix, "unix.caibx").featureFlags());
    }

    /**
     * The archives casync made for the catar vectors carry the word in every ENTRY record (offset 16
     * of the first record); the command line in the MANIFEST must resolve to it.
     */
    @Test
    void catarVectorsWordsFromTheirCommandLines() throws IOException {
        Path dir = Vectors.locateVectors().resolve("catar");
        String manifest = Files.readString(dir.resolve("MANIFEST"));
        Matcher m = Pattern.compile(
                        "(?m)^\\[(\\S+\\.catar)\\]\\s*\\ncommand\\s*=\\s*(.*)\\nflags\\s*=\\s*0x([0-9a-f]{16})")
                .matcher(manifest);
        int checked = 0;
        while (m.find()) {
            String file = m.group(1);
            long expected = Long.parseUnsignedLong(m.group(3), 16);
            FeatureFlags.Selection s = FeatureFlags.Selection.DEFAULT;
            DigestAlgorithm digest = DigestAlgorithm.SHA512_256;
            List<String> with = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (String arg : m.group(2).trim().split("\\s+")) {
                if (arg.startsWith("--with=")) {
                    with.add(arg.substring(7));
                } else if (arg.startsWith("--without=")) {
                    without.add(arg.substring(10));
                } else if (arg.equals("--digest=sha256")) {
                    digest = DigestAlgorithm.SHA256;
                } else if (arg.equals("--exclude-nodump=no")) {
                    s = s.withExcludeNodump(false);
                }
            }
            FeatureFlags resolved = s.with(with).without(without).resolve(FeatureFlags.ARCHIVE_DEFAULT_WITH, digest);
            assertEquals(FeatureFlags.of(expected), resolved, file + ": " + m.group(2));
            byte[] catar = Files.readAllBytes(dir.resolve(file));
            ByteBuffer b = ByteBuffer.wrap(catar).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x1396fabcea5bbb51L, b.getLong(8), file + " starts with an ENTRY");
            assertEquals(expected, b.getLong(16), file + ": the ENTRY's word");
            // casync's encoder wrote it, so it is normalized, and it equals the MANIFEST's description
            assertTrue(FeatureFlags.isNormalized(expected), file);
            checked++;
        }
        assertTrue(checked >= 10, "catar vectors checked: " + checked);
    }
}
