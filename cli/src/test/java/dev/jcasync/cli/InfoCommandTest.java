package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.vectors.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcasync info} on a store made by casync: the facts, the store coverage, the exact download. */
class InfoCommandTest {
    @TempDir
    Path dir;

    Path www;
    Path store;
    byte[] v1;
    byte[] v2;

    @BeforeEach
    void casyncStoreWithTwoVersions() throws Exception {
        www = Files.createDirectories(dir.resolve("www"));
        store = www.resolve("store.castr");
        v1 = TestData.mixed(41, 8 << 20);
        v2 = v1.clone();
        for (int off : new int[] {500_000, 4_000_000, 7_000_000}) {
            System.arraycopy(TestData.random(off, 40_000), 0, v2, off, 40_000);
        }
        Casync.run("make", "--store=" + store, www.resolve("v1.caibx"), TestData.write(dir, "v1.img", v1));
        Casync.run(
                "make",
                "--store=" + store,
                "--chunk-size=8K:32K:128K",
                www.resolve("v2.caibx"),
                TestData.write(dir, "v2.img", v2));
    }

    private long storedBytes(Set<ChunkId> ids) throws Exception {
        long sum = 0;
        for (ChunkId id : ids) {
            sum += Files.size(store.resolve(id.prefix()).resolve(id.toHex() + ".cacnk"));
        }
        return sum;
    }

    @Test
    void describesTheIndexAlone() throws Exception {
        Path index = www.resolve("v2.caibx");
        BlobIndex blob = IndexReader.read(index);
        Map<String, Object> j = Inspect.json(Cli.run("info", "--json", index));
        assertEquals(index.toString(), j.get("index"));
        assertEquals((long) v2.length, Inspect.number(j, "size"));
        assertEquals((long) blob.entries().size(), Inspect.number(j, "chunks"));
        assertEquals((long) Inspect.ids(index).size(), Inspect.number(j, "distinct_chunks"));
        assertEquals(Map.of("min", 8192L, "avg", 32768L, "max", 131072L), j.get("chunk_size"));
        assertEquals("sha512-256", j.get("digest"));
        assertEquals("b000000000000000", j.get("feature_flags"));
        assertEquals(List.of(), j.get("stores"));
        for (String unknown : new String[] {"missing_chunks", "from_seeds", "download_chunks", "download_bytes"}) {
            assertTrue(j.containsKey(unknown) && j.get(unknown) == null, unknown + " is null without stores");
        }

        String text = Cli.run("info", index).assertOk().out();
        assertTrue(text.contains("size:           " + v2.length + " bytes"), text);
        assertTrue(text.contains("chunk size:     8192:32768:131072"), text);
    }

    @Test
    void countsWhatEachStoreHolds() throws Exception {
        Path index = www.resolve("v1.caibx");
        Set<ChunkId> ids = Inspect.ids(index);
        // A second store with every other chunk of v1.
        Path partial = dir.resolve("partial.castr");
        Set<ChunkId> shared = new java.util.LinkedHashSet<>();
        int i = 0;
        for (ChunkId id : ids) {
            if (i++ % 2 == 0) {
                shared.add(id);
            }
        }
        assertTrue(!shared.isEmpty() && shared.size() < ids.size());
        for (ChunkId id : shared) {
            Path target = partial.resolve(id.prefix()).resolve(id.toHex() + ".cacnk");
            Files.createDirectories(target.getParent());
            Files.copy(store.resolve(id.prefix()).resolve(id.toHex() + ".cacnk"), target);
        }
        Map<String, Object> j =
                Inspect.json(Cli.run("info", "--json", "--store=" + store, "--store=" + partial, index));
        List<Object> stores = Json.array(j.get("stores"));
        assertEquals(
                Map.of(
                        "location",
                        store.toString(),
                        "remote",
                        false,
                        "chunks_present",
                        (long) ids.size(),
                        "bytes",
                        storedBytes(ids)),
                stores.get(0));
        assertEquals(
                Map.of(
                        "location",
                        partial.toString(),
                        "remote",
                        false,
                        "chunks_present",
                        (long) shared.size(),
                        "bytes",
                        storedBytes(shared)),
                stores.get(1));
        assertEquals(0L, Inspect.number(j, "missing_chunks"));
        assertEquals(0L, Inspect.number(j, "download_bytes"), "local stores: nothing to download");
    }

    @Test
    void missingChunksLeaveTheDownloadUnknown() throws Exception {
        Path index = www.resolve("v1.caibx");
        BlobIndex blob = IndexReader.read(index);
        IndexEntry nonZero = blob.entries().stream()
                .filter(e -> !e.id().equals(DigestAlgorithm.SHA512_256.zeroChunkId(e.size())))
                .findFirst()
                .orElseThrow();
        Files.delete(store.resolve(nonZero.id().prefix()).resolve(nonZero.id().toHex() + ".cacnk"));
        Map<String, Object> j = Inspect.json(Cli.run("info", "--json", "--store=" + store, index));
        assertEquals(1L, Inspect.number(j, "missing_chunks"));
        assertNull(j.get("download_bytes"));
        String text = Cli.run("info", "--store=" + store, index).assertOk().out();
        assertTrue(text.contains("missing:        1 chunks") && text.contains("download:       unknown"), text);
    }

    @Test
    void downloadEstimateIsWhatExtractThenTransfersFromNginx() throws Exception {
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx"), "")) {
            String storeUrl = nginx.url("store.castr");
            String indexUrl = nginx.url("v2.caibx");
            String seed = "--seed=" + dir.resolve("v1.img");
            Map<String, Object> j = Inspect.json(Cli.run("info", "--json", "--store=" + storeUrl, seed, indexUrl));
            long estimate = Inspect.number(j, "download_bytes");
            assertTrue(estimate > 0);
            assertEquals(true, Json.object(Json.array(j.get("stores")).get(0)).get("remote"));
            Map<String, Object> fromSeeds = Json.object(j.get("from_seeds"));
            assertTrue(Inspect.number(fromSeeds, "chunks") > 0, "the seed holds most of v2");
            assertEquals(0, nginx.bodyBytes("GET", ".cacnk"), "info only asks (HEAD), it fetches no chunk");

            Cli.Run extract = Cli.run("extract", "--store=" + storeUrl, seed, indexUrl, dir.resolve("out.img"))
                    .assertOk();
            assertArrayEquals(v2, Files.readAllBytes(dir.resolve("out.img")));
            Matcher m = Pattern.compile("transferred: (\\d+) bytes").matcher(extract.err());
            assertTrue(m.find(), extract.err());
            assertEquals(estimate, Long.parseLong(m.group(1)), "info's estimate = extract's own count");
            assertEquals(estimate, nginx.bodyBytes("GET", ".cacnk"), "info's estimate = chunk bytes nginx sent");
        }
    }
}
