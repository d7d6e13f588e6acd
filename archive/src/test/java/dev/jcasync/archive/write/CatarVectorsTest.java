package dev.jcasync.archive.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jcasync.index.FeatureFlags;
import dev.jcasync.vectors.Vectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoder against the archives casync made (testdata/vectors/catar): the source trees are
 * rebuilt with the vectors' own mktree.py (and the small trees the MANIFEST describes), encoded
 * with the MANIFEST's feature flags, and must equal casync's bytes exactly; the list and mtree
 * lines must equal casync's outputs.
 */
class CatarVectorsTest {
    @TempDir
    static Path trees;

    static Path vectors;
    static Map<String, Map<String, String>> manifest;

    @BeforeAll
    static void setUp() throws IOException {
        vectors = Vectors.locateVectors().resolve("catar");
        manifest = parseManifest(Files.readAllLines(vectors.resolve("MANIFEST")));
    }

    static Map<String, Map<String, String>> parseManifest(List<String> lines) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String l : lines) {
            if (l.startsWith("[") && l.endsWith("]")) {
                current = new LinkedHashMap<>();
                out.put(l.substring(1, l.length() - 1), current);
            } else if (current != null && l.contains("=")) {
                String[] kv = l.split("=", 2);
                current.put(kv[0].strip(), kv[1].strip());
            }
        }
        return out;
    }

    static FeatureFlags flagsOf(String vector) {
        String v = manifest.get(vector).get("flags").split("\\s+")[0];
        return FeatureFlags.parseStrict(Long.parseUnsignedLong(v.substring(2), 16));
    }

    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void requireRoot() {
        if (!root() && "true".equals(System.getenv("CI"))) {
            fail("the full catar vectors need root (chown, mknod, trusted.* xattrs, chattr), and CI=true");
        }
        assumeTrue(root(), "the full catar vectors need root");
    }

    static void python(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail("python3 " + String.join(" ", args) + " failed:\n" + out);
        }
    }

    static Path fullTree;
    static Path portableTree;

    static synchronized Path full() throws Exception {
        if (fullTree == null) {
            Path t = trees.resolve("full");
            python(vectors.resolve("mktree.py").toString(), t.toString());
            fullTree = t;
        }
        return fullTree;
    }

    static synchronized Path portable() throws Exception {
        if (portableTree == null) {
            Path t = trees.resolve("portable");
            python(vectors.resolve("mktree.py").toString(), t.toString(), "--portable");
            portableTree = t;
        }
        return portableTree;
    }

    /** The trees the MANIFEST describes in words ('example', 'tiny'). */
    static Path smallTree(String name) throws Exception {
        Path t = trees.resolve(name);
        if (Files.exists(t)) {
            return t;
        }
        String script = name.equals("example")
                ? "import os,sys\n"
                        + "r=sys.argv[1]\nos.umask(0)\nos.mkdir(r,0o755)\n"
                        + "open(r+'/hello.txt','wb').write(b'hi\\n')\nos.chmod(r+'/hello.txt',0o644)\n"
                        + "os.symlink('hello.txt',r+'/link')\n"
                        + "os.utime(r+'/hello.txt',ns=(1600000001000000000,1600000001000000000))\n"
                        + "os.utime(r+'/link',ns=(1600000002000000000,1600000002000000000),follow_symlinks=False)\n"
                        + "os.utime(r,ns=(1600000000500000000,1600000000500000000))\n"
                : "import os,sys\n"
                        + "r=sys.argv[1]\nos.umask(0o022)\nos.mkdir(r,0o755)\n"
                        + "open(r+'/f','wb').write(b'x\\n')\n"
                        + "os.utime(r+'/f',ns=(1600000000123456789,1600000000123456789))\n"
                        + "os.utime(r,ns=(1600000000123456789,1600000000123456789))\n";
        python("-c", script, t.toString());
        return t;
    }

    static byte[] encode(Path tree, FeatureFlags flags) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CatarEncoder.Result r = new CatarEncoder(flags).encode(tree.toString(), out);
        assertEquals(out.size(), r.size());
        return out.toByteArray();
    }

    void assertVector(String vector, Path tree) throws Exception {
        FeatureFlags flags = flagsOf(vector);
        byte[] expected = Files.readAllBytes(vectors.resolve(vector));
        byte[] actual = encode(tree, flags);
        if (!java.util.Arrays.equals(expected, actual)) {
            long at = java.util.Arrays.mismatch(expected, actual);
            fail(vector + ": encoder output differs from casync's at byte " + at + " (casync " + expected.length
                    + " bytes, jcasync " + actual.length + ")");
        }
        String digest = manifest.get(vector).get("digest").split("\\s+")[0];
        if (!digest.equals("FAILS")) {
            CatarEncoder.Result r =
                    new CatarEncoder(flags).encode(tree.toString(), java.io.OutputStream.nullOutputStream());
            assertEquals(digest, HexFormat.of().formatHex(r.digest()), vector + ": digest as casync digest prints it");
        }
    }

    @Test
    void example() throws Exception {
        requireRoot(); // owned by root, as casync made it
        assertVector("example.catar", smallTree("example"));
    }

    @Test
    void portableVector() throws Exception {
        assertVector("portable.catar", portable());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "full-default.catar",
                "full-unix.catar",
                "full-minimal.catar",
                "full-fat.catar",
                "full-sha256.catar",
                "full-keep-nodump.catar"
            })
    void full(String vector) throws Exception {
        requireRoot();
        assertVector(vector, full());
    }

    @ParameterizedTest
    @ValueSource(strings = {"neg-usec-time.catar", "neg-names-only.catar"})
    void tinyArchivesCasyncCannotReadBack(String vector) throws Exception {
        requireRoot();
        assertVector(vector, smallTree("tiny"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"full-default", "full-unix", "full-minimal", "full-fat", "full-keep-nodump"})
    void listAndMtreeAsCasyncPrintsThem(String vector) throws Exception {
        requireRoot();
        FeatureFlags flags = flagsOf(vector + ".catar");
        List<String> list = new ArrayList<>();
        List<String> mtree = new ArrayList<>();
        new CatarEncoder(flags)
                .listener(new CatarEncoder.Listener() {
                    @Override
                    public void node(CatarNode n) {
                        list.add(CatarListing.listLine(n));
                        mtree.add(CatarListing.mtreeLine(n, flags.value(), "sha512256digest"));
                    }

                    @Override
                    public boolean wantsPayloadDigest() {
                        return true;
                    }
                })
                .encode(full().toString(), java.io.OutputStream.nullOutputStream());
        assertEquals(Files.readAllLines(vectors.resolve(vector + ".list")), list, vector + ".list");
        assertEquals(Files.readAllLines(vectors.resolve(vector + ".mtree")), mtree, vector + ".mtree");
    }

    @Test
    void portableListAndMtree() throws Exception {
        FeatureFlags flags = flagsOf("portable.catar");
        List<String> list = new ArrayList<>();
        List<String> mtree = new ArrayList<>();
        new CatarEncoder(flags)
                .listener(new CatarEncoder.Listener() {
                    @Override
                    public void node(CatarNode n) {
                        list.add(CatarListing.listLine(n));
                        mtree.add(CatarListing.mtreeLine(n, flags.value(), "sha512256digest"));
                    }

                    @Override
                    public boolean wantsPayloadDigest() {
                        return true;
                    }
                })
                .encode(portable().toString(), java.io.OutputStream.nullOutputStream());
        assertEquals(Files.readAllLines(vectors.resolve("portable.list")), list);
        assertEquals(Files.readAllLines(vectors.resolve("portable.mtree")), mtree);
    }

    @Test
    void aFileIsNotADirectory() throws Exception {
        Path f = Files.writeString(trees.resolve("plain-file"), "x");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class, () -> encode(f, FeatureFlags.ARCHIVE_DEFAULT));
        assertEquals(f + ": not a directory; only directories can be archived", e.getMessage());
        IOException missing = org.junit.jupiter.api.Assertions.assertThrows(
                IOException.class, () -> encode(trees.resolve("absent"), FeatureFlags.ARCHIVE_DEFAULT));
        assertEquals(trees.resolve("absent") + ": cannot open: No such file or directory", missing.getMessage());
    }

    @Test
    void modeStrings() {
        assertEquals("drwxrwxrwt", CatarListing.modeString(041777));
        assertEquals("-rwsr-xr-x", CatarListing.modeString(0104755));
        assertEquals("-rw-r--r-T".replace("T", "-"), CatarListing.modeString(0101644));
        assertEquals("prw-r-----", CatarListing.modeString(010640));
        assertEquals(
                "with\\040space\\012\\134\\043",
                CatarListing.escape("with space\n\\#".getBytes(StandardCharsets.UTF_8)));
    }
}
