package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.extract.ExtractPlan;
import dev.jcasync.extract.ExtractReport;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.make.MakeResult;
import dev.jcasync.seed.Seed;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.Stores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example, compiled and run: make into a local store on a "build server",
 * then a "device" reads the index and chunks over real HTTP (nginx) and updates its inactive slot
 * with the active one as a seed. The code between the README markers below must be the README's
 * code block, line for line (checked by {@link #readmeShowsThisExample}).
 */
class LibraryExampleTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unused") // plan and report are named for the reader of the README
    static void example(
            Path image,
            String storeDir,
            Path indexFile,
            String indexUrl,
            String storeUrl,
            Path activeSlot,
            Path inactiveSlot)
            throws IOException {
        // README:begin
        // Build server: chunk an image into a store and write its index.
        try (ChunkStore store = Stores.open(storeDir);
                FileChannel in = FileChannel.open(image)) {
            MakeResult made = new BlobMaker(MakeOptions.defaults()).make(in, store);
            AtomicFile.write(indexFile, IndexWriter.toBytes(made.index()));
        }

        // Device: read the index over HTTP, ask what an update would download, then write the
        // inactive slot, taking every chunk the active slot already has from there.
        RemoteOptions remote = RemoteOptions.defaults().withRetries(8);
        BlobIndex index = Stores.readIndex(indexUrl, remote);
        try (ChunkStore store = Stores.open(storeUrl, remote)) {
            Assembler extract = new Assembler(
                    List.of(store), ExtractOptions.defaults().withSeeds(List.of(Seed.unindexed(activeSlot))));
            ExtractPlan plan = extract.plan(index);
            System.out.printf("%d of %d bytes to download%n", plan.downloadBytes(), index.blobSize());
            ExtractReport report = extract.extract(index, inactiveSlot);
        }
        // README:end
    }

    @Test
    void exampleUpdatesASlotOverHttp() throws Exception {
        byte[] v1 = TestData.mixed(1, 3 << 20);
        byte[] v2 = v1.clone();
        byte[] patch = TestData.random(2, 200_000);
        System.arraycopy(patch, 0, v2, 1 << 20, patch.length);
        Path www = Files.createDirectories(dir.resolve("www"));
        Path image = Files.write(dir.resolve("v2.img"), v2);
        Path active = Files.write(dir.resolve("slot-a"), v1);
        Path inactive = dir.resolve("slot-b");

        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx"), "")) {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                example(
                        image,
                        www.resolve("default.castr").toString(),
                        www.resolve("v2.caibx"),
                        nginx.url("v2.caibx"),
                        nginx.url("default.castr"),
                        active,
                        inactive);
            } finally {
                System.setOut(stdout);
            }
            long chunkBytesFetched = nginx.requestedPaths("GET").stream()
                    .filter(p -> p.endsWith(".cacnk"))
                    .mapToLong(p -> sizeOf(www.resolve(p.substring(1))))
                    .sum();
            Matcher m = Pattern.compile("(\\d+) of (\\d+) bytes to download")
                    .matcher(printed.toString(StandardCharsets.UTF_8));
            assertTrue(m.find(), printed.toString(StandardCharsets.UTF_8));
            assertEquals(chunkBytesFetched, Long.parseLong(m.group(1)), "the plan predicts the download exactly");
            assertEquals(v2.length, Long.parseLong(m.group(2)));
            assertTrue(
                    chunkBytesFetched > 0 && chunkBytesFetched < v2.length / 4,
                    "only what the seed lacks: " + chunkBytesFetched);
        }
        assertArrayEquals(v2, Files.readAllBytes(inactive));
        assertEquals(v2.length, IndexReader.read(www.resolve("v2.caibx")).blobSize());
    }

    @Test
    void readmeShowsThisExample() throws IOException {
        String source = Files.readString(sourceFile());
        String inTest = source.substring(
                source.indexOf("// README:begin\n") + "// README:begin\n".length(),
                source.indexOf("        // README:end"));
        String readme = Files.readString(repositoryRoot().resolve("README.md"));
        Matcher block = Pattern.compile("<!-- library-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(block.find(), "README.md has a ```java block after <!-- library-example -->");
        assertEquals(
                dedent(inTest),
                dedent(block.group(1)),
                "README's library example differs from LibraryExampleTest.example");
    }

    private static String dedent(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new AssertionError(p + " was requested but is not there", e);
        }
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("cli"))) {
                return d;
            }
        }
        throw new AssertionError("repository root not found above " + System.getProperty("user.dir"));
    }

    private static Path sourceFile() {
        return repositoryRoot().resolve("cli/src/test/java/dev/jcasync/cli/LibraryExampleTest.java");
    }
}
