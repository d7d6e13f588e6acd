package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.vectors.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} of make, extract, chop and cache: one object on stdout, numbers that match what happened. */
class JsonOutputTest {
    @TempDir
    Path dir;

    byte[] data;
    Path image;

    @BeforeEach
    void image() throws Exception {
        // Mixed data, a zero run of over two max-size chunks, then the first MiB again: stored,
        // repeated and zero chunks all occur.
        byte[] mixed = TestData.mixed(23, 2 << 20);
        data = new byte[mixed.length + 600_000 + (1 << 20)];
        System.arraycopy(mixed, 0, data, 0, mixed.length);
        System.arraycopy(mixed, 0, data, mixed.length + 600_000, 1 << 20);
        image = TestData.write(dir, "image.img", data);
    }

    @Test
    void makeReportsTheDigestCasyncPrintsAndWhatItStored() throws Exception {
        Path casyncIndex = dir.resolve("casync.caibx");
        String casyncDigest = Casync.run("make", "--store=" + dir.resolve("casync.castr"), casyncIndex, image)
                .strip();

        Path store = dir.resolve("store.castr");
        Path index = dir.resolve("image.caibx");
        Cli.Run run = Cli.run("make", "--json", "--store=" + store, index, image);
        Map<String, Object> j = Inspect.json(run);
        assertEquals("", run.err());
        assertEquals(1, run.out().strip().lines().count(), run.out());
        int distinct = Inspect.ids(index).size();
        assertEquals(casyncDigest, j.get("digest"));
        assertEquals("sha512-256", j.get("algorithm"));
        assertEquals(index.toString(), j.get("index"));
        assertEquals(image.toString(), j.get("input"));
        assertEquals(store.toString(), j.get("store"));
        assertEquals(data.length, Inspect.number(j, "size"));
        assertEquals(Inspect.entries(index), Inspect.number(j, "chunks"));
        assertEquals(distinct, Inspect.number(j, "chunks_stored"));
        assertEquals(0, Inspect.number(j, "chunks_reused"));
        assertTrue(Inspect.number(j, "elapsed_ms") >= 0);
        assertArrayEquals(Files.readAllBytes(casyncIndex), Files.readAllBytes(index));

        Map<String, Object> again = Inspect.json(Cli.run("make", "--json", "--store=" + store, index, image));
        assertEquals(0, Inspect.number(again, "chunks_stored"));
        assertEquals(distinct, Inspect.number(again, "chunks_reused"));
    }

    @Test
    void extractReportsEveryByteOnceAndNothingOnStderr() throws Exception {
        Path store = dir.resolve("store.castr");
        Path index = dir.resolve("image.caibx");
        Casync.run("make", "--store=" + store, index, image);
        Path out = dir.resolve("out.img");

        Map<String, Object> plan =
                Inspect.json(Cli.run("extract", "--json", "--dry-run", "--store=" + store, index, out));
        assertEquals(true, plan.get("dry_run"));
        assertFalse(Files.exists(out));

        Cli.Run run = Cli.run("extract", "--json", "--progress=plain", "--store=" + store, index, out);
        Map<String, Object> j = Inspect.json(run);
        assertArrayEquals(data, Files.readAllBytes(out));
        assertFalse(run.err().contains("extracted"), "the text summary is not printed with --json: " + run.err());
        assertEquals(false, j.get("dry_run"));
        assertEquals(out.toString(), j.get("output"));
        assertEquals(index.toString(), j.get("index"));
        assertEquals(data.length, Inspect.number(j, "size"));
        assertEquals(Inspect.entries(index), Inspect.number(j, "chunks"));
        assertEquals(Inspect.ids(index).size(), Inspect.number(j, "distinct_chunks"));
        List<Object> stores = Json.array(j.get("stores"));
        assertEquals(1, stores.size());
        Map<String, Object> local = Json.object(stores.get(0));
        assertEquals(store.toString(), local.get("location"));
        assertEquals(false, local.get("remote"));
        assertEquals(0, Inspect.number(j, "transferred_bytes"));
        long accounted = 0;
        long chunks = 0;
        for (String source : List.of("in_place", "from_seeds", "repeated", "zeros")) {
            accounted += Inspect.number(Json.object(j.get(source)), "bytes");
            chunks += Inspect.number(Json.object(j.get(source)), "chunks");
        }
        accounted += Inspect.number(local, "bytes");
        chunks += Inspect.number(local, "chunks");
        assertEquals(data.length, accounted, "every byte comes from exactly one source");
        assertEquals(Inspect.entries(index), chunks);
        assertTrue(Inspect.number(Json.object(j.get("zeros")), "chunks") > 0, "the image has a zero run");
        assertTrue(Inspect.number(Json.object(j.get("repeated")), "chunks") > 0, "the image repeats itself");
        // The plan said the same, bar the time.
        for (String key : List.of("in_place", "from_seeds", "repeated", "zeros", "stores", "transferred_bytes")) {
            assertEquals(plan.get(key), j.get(key), key);
        }
    }

    @Test
    void extractOverHttpReportsTheBytesNginxSent() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Path index = dir.resolve("image.caibx");
        Casync.run("make", "--store=" + www.resolve("store.castr"), index, image);
        try (Nginx nginx = Nginx.serve(www, dir.resolve("nginx"), "")) {
            Map<String, Object> j = Inspect.json(
                    Cli.run("extract", "--json", "--store=" + nginx.url("store.castr"), index, dir.resolve("out.img")));
            long sent = nginx.bodyBytes("GET", ".cacnk");
            assertTrue(sent > 0);
            assertEquals(sent, Inspect.number(j, "transferred_bytes"));
            Map<String, Object> remote = Json.object(Json.array(j.get("stores")).get(0));
            assertEquals(true, remote.get("remote"));
            assertEquals(sent, Inspect.number(remote, "file_bytes"));
            assertEquals(nginx.requestedPaths("GET").size(), Inspect.number(remote, "chunks"));
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out.img")));
    }

    @Test
    void chopAndCacheCountWhatTheyStored() throws Exception {
        Path index = dir.resolve("image.caibx");
        Path source = dir.resolve("source.castr");
        Casync.run("make", "--store=" + source, index, image);
        Set<ChunkId> ids = Inspect.ids(index);

        Path chopped = dir.resolve("chopped.castr");
        Map<String, Object> chop = Inspect.json(Cli.run("chop", "--json", "--store=" + chopped, index, image));
        assertEquals(chopped.toString(), chop.get("store"));
        assertEquals(index.toString(), chop.get("index"));
        assertEquals(image.toString(), chop.get("file"));
        assertEquals(ids.size(), Inspect.number(chop, "chunks_stored"));
        assertEquals(0, Inspect.number(chop, "chunks_present"));
        Map<String, Object> chopAgain = Inspect.json(Cli.run("chop", "--json", "--store=" + chopped, index, image));
        assertEquals(0, Inspect.number(chopAgain, "chunks_stored"));
        assertEquals(ids.size(), Inspect.number(chopAgain, "chunks_present"));

        Path cache = dir.resolve("cache.castr");
        Map<String, Object> filled =
                Inspect.json(Cli.run("cache", "--json", "--store=" + source, "--cache=" + cache, index));
        assertEquals(cache.toString(), filled.get("cache"));
        assertEquals(ids.size(), Inspect.number(filled, "chunks_fetched"));
        assertEquals(0, Inspect.number(filled, "chunks_present"));
        assertEquals(0, Inspect.number(filled, "transferred_bytes"), "a local source is read, not transferred");
        Map<String, Object> again =
                Inspect.json(Cli.run("cache", "--json", "--store=" + source, "--cache=" + cache, index));
        assertEquals(0, Inspect.number(again, "chunks_fetched"));
        assertEquals(ids.size(), Inspect.number(again, "chunks_present"));
    }
}
