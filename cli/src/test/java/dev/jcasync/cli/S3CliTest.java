package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.s3.FaultProxy;
import dev.jcasync.store.s3.S3TestServer;
import dev.jcasync.vectors.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** The command line against a real S3 server (S3Proxy, signatures checked): s3+http:// stores and indexes. */
class S3CliTest {
    private static S3TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
        server.createBucket("images");
        S3TestServer.useTestCredentials();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static byte[] changed(byte[] v1, long seed) {
        byte[] v2 = v1.clone();
        for (int off : new int[] {500_000, 3_000_000, 6_000_000}) {
            System.arraycopy(TestData.random(seed + off, 40_000), 0, v2, off, 40_000);
        }
        return v2;
    }

    /** The store's object keys, relative to it. */
    private static Set<String> objects(String prefix) {
        return server.keys("images", prefix + "/").stream()
                .map(k -> k.substring(prefix.length() + 1))
                .collect(Collectors.toSet());
    }

    private static Set<String> names(Set<ChunkId> ids) {
        return ids.stream().map(id -> ChunkLayout.path(id, true)).collect(Collectors.toSet());
    }

    /** Per store location, the chunks an extract took from it. */
    private static Map<String, Long> chunksByStore(Cli.Run run) {
        Map<String, Long> byStore = new HashMap<>();
        for (Object s : Json.array(Inspect.json(run).get("stores"))) {
            Map<String, Object> store = Json.object(s);
            byStore.put((String) store.get("location"), Inspect.number(store, "chunks"));
        }
        return byStore;
    }

    @Test
    void makeIntoS3AndExtractFromIt() throws Exception {
        byte[] v1 = TestData.mixed(41, 8 << 20);
        String store = server.location("images", "make/store.castr");
        Path index = dir.resolve("v1.caibx");
        Cli.run("make", "--store=" + store, index, TestData.write(dir, "v1.img", v1))
                .assertOk();
        assertEquals(names(Inspect.ids(index)), objects("make/store.castr"), "the store's layout, object for object");

        Path out = dir.resolve("out.img");
        Cli.run("extract", "--store=" + store, index, out).assertOk();
        assertArrayEquals(v1, Files.readAllBytes(out));

        // The index itself in the bucket, read over s3+http:// too.
        try (S3Client s3 = server.client()) {
            s3.putObject(b -> b.bucket("images").key("make/v1.caibx"), RequestBody.fromFile(index));
        }
        Path out2 = dir.resolve("out2.img");
        Cli.run("extract", "--store=" + store, server.location("images", "make/v1.caibx"), out2)
                .assertOk();
        assertArrayEquals(v1, Files.readAllBytes(out2));

        // A second make of a changed image stores only what is new.
        byte[] v2 = changed(v1, 7);
        Cli.Run made = Cli.run(
                        "make",
                        "--json",
                        "--store=" + store,
                        dir.resolve("v2.caibx"),
                        TestData.write(dir, "v2.img", v2))
                .assertOk();
        Set<ChunkId> fresh = Inspect.ids(dir.resolve("v2.caibx"));
        fresh.removeAll(Inspect.ids(index));
        assertEquals(fresh.size(), Inspect.number(Inspect.json(made), "chunks_stored"));
    }

    @Test
    void extractTakesWhatS3LacksFromTheNextStore() throws Exception {
        byte[] v1 = TestData.mixed(42, 8 << 20);
        byte[] v2 = changed(v1, 8);
        String s3Store = server.location("images", "several/store.castr");
        Path local = dir.resolve("local.castr");
        Cli.run("make", "--store=" + s3Store, dir.resolve("v1.caibx"), TestData.write(dir, "v1.img", v1))
                .assertOk();
        Path v2Index = dir.resolve("v2.caibx");
        Cli.run("make", "--store=" + local, v2Index, TestData.write(dir, "v2.img", v2))
                .assertOk();

        Path out = dir.resolve("out.img");
        Cli.Run run = Cli.run("extract", "--json", "--store=" + s3Store, "--extra-store=" + local, v2Index, out)
                .assertOk();
        assertArrayEquals(v2, Files.readAllBytes(out));
        Map<String, Long> byStore = chunksByStore(run);
        assertTrue(byStore.get(s3Store) > 0, "most chunks come from S3: " + byStore);
        assertTrue(byStore.get(local.toString()) > 0, "the changed ones from the local store: " + byStore);
        assertTrue(byStore.get(s3Store) > byStore.get(local.toString()), byStore.toString());
    }

    @Test
    void wrongCredentialsAreOneClearError() throws Exception {
        byte[] v1 = TestData.mixed(43, 1 << 20);
        Path image = TestData.write(dir, "v1.img", v1);
        String store = server.location("images", "creds/store.castr");
        System.setProperty("aws.secretAccessKey", "not-the-secret");
        try {
            for (Cli.Run run : List.of(
                    Cli.run("make", "--store=" + store, dir.resolve("v1.caibx"), image),
                    Cli.run(
                            "extract",
                            "--store=" + store,
                            server.location("images", "creds/v1.caibx"),
                            dir.resolve("o")))) {
                assertEquals(1, run.exitCode(), run.err());
                assertEquals(1, run.errLines().size(), run.err());
                assertTrue(run.err().startsWith("jcasync: "), run.err());
                assertTrue(run.err().contains("access denied"), run.err());
                assertTrue(run.err().contains("AWS_ACCESS_KEY_ID"), run.err());
            }
        } finally {
            S3TestServer.useTestCredentials();
        }
    }

    @Test
    void missingBucketIsOneClearError() throws Exception {
        Path image = TestData.write(dir, "v1.img", TestData.mixed(44, 1 << 20));
        String store = "s3+" + server.endpoint() + "/no-such-bucket/store.castr";
        Cli.Run run = Cli.run("make", "--store=" + store, dir.resolve("v1.caibx"), image);
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(
                List.of("jcasync: store " + store + ": no such bucket 'no-such-bucket' at " + server.endpoint()),
                run.errLines());
    }

    @Test
    void verifyAndPruneWorkOnS3() throws Exception {
        String prefix = "maintain/store.castr";
        String store = server.location("images", prefix);
        byte[] v1 = TestData.mixed(45, 8 << 20);
        byte[] v2 = changed(v1, 9);
        Path i1 = dir.resolve("v1.caibx");
        Path i2 = dir.resolve("v2.caibx");
        Cli.run("make", "--store=" + store, i1, TestData.write(dir, "v1.img", v1))
                .assertOk();
        Cli.run("make", "--store=" + store, i2, TestData.write(dir, "v2.img", v2))
                .assertOk();
        Set<ChunkId> all = new HashSet<>(Inspect.ids(i1, i2));
        assertEquals(names(all), objects(prefix));

        Cli.run("verify", "--store=" + store).assertOk();

        // Corrupt one chunk only v1 has: verify names it.
        Set<ChunkId> onlyV1 = new HashSet<>(Inspect.ids(i1));
        onlyV1.removeAll(Inspect.ids(i2));
        ChunkId victim = onlyV1.iterator().next();
        String key = prefix + "/" + ChunkLayout.path(victim, true);
        try (S3Client s3 = server.client()) {
            byte[] bytes = s3.getObject(b -> b.bucket("images").key(key), ResponseTransformer.toBytes())
                    .asByteArray();
            bytes[bytes.length / 2] ^= 0x01;
            s3.putObject(b -> b.bucket("images").key(key), RequestBody.fromBytes(bytes));
        }
        Cli.Run verify = Cli.run("verify", "--json", "--store=" + store);
        assertEquals(1, verify.exitCode(), verify.err());
        Map<String, Object> report = Inspect.json(verify.out());
        assertEquals(store, report.get("store"));
        List<Object> problems = Json.array(report.get("problems"));
        assertEquals(1, problems.size(), verify.out());
        assertEquals(
                ChunkLayout.path(victim, true), Json.object(problems.get(0)).get("path"));
        assertEquals(List.of("jcasync: store " + store + ": 1 bad chunk file"), verify.errLines());

        // Prune with v2's index only: v1's own chunks go (in one batch), v2's stay.
        Thread.sleep(2100); // S3 keeps times to the second; the prune's cutoff is a second back
        Cli.Run pruned = Cli.run("prune", "--json", "--store=" + store, i2).assertOk();
        Map<String, Object> j = Inspect.json(pruned);
        assertEquals(onlyV1.size(), Inspect.number(j, "removed_files"));
        assertEquals(0, Inspect.number(j, "recent_files"));
        assertEquals(names(Inspect.ids(i2)), objects(prefix));

        Path out = dir.resolve("out.img");
        Cli.run("extract", "--store=" + store, i2, out).assertOk();
        assertArrayEquals(v2, Files.readAllBytes(out));
    }

    @Test
    void casyncReadsAStoreJcasyncWroteToS3() throws Exception {
        byte[] v1 = TestData.mixed(46, 6 << 20);
        String prefix = "interop/store.castr";
        Path index = dir.resolve("v1.caibx");
        Cli.run("make", "--store=" + server.location("images", prefix), index, TestData.write(dir, "v1.img", v1))
                .assertOk();
        Path copy = dir.resolve("copy.castr");
        server.download("images", prefix, copy);
        Path out = dir.resolve("casync.img");
        Casync.run("extract", "--store=" + copy, index, out);
        assertArrayEquals(v1, Files.readAllBytes(out));
    }

    @Test
    void extractIsExactThroughSlowDownsResetsAndTruncatedBodiesAndFetchesEachChunkOnce() throws Exception {
        byte[] v1 = TestData.mixed(47, 6 << 20);
        String prefix = "faults/store.castr";
        Path index = dir.resolve("v1.caibx");
        Cli.run("make", "--store=" + server.location("images", prefix), index, TestData.write(dir, "v1.img", v1))
                .assertOk();
        // Half the chunks (by their id's last hex digit) fail three times each, in three ways.
        try (FaultProxy proxy = new FaultProxy(
                server.port(),
                path -> path.contains("/" + prefix + "/")
                        && "01234567".indexOf(path.charAt(path.length() - ".cacnk".length() - 1)) >= 0)) {
            String store = "s3+http://127.0.0.1:" + proxy.port() + "/images/" + prefix;
            Path out = dir.resolve("out.img");
            Cli.Run run =
                    Cli.run("extract", "--json", "--store=" + store, index, out).assertOk();
            assertArrayEquals(v1, Files.readAllBytes(out));
            assertTrue(proxy.faults() > 0, "faults were injected");
            for (Map.Entry<String, AtomicInteger> e : proxy.delivered().entrySet()) {
                assertEquals(1, e.getValue().get(), "fetched once: " + e.getKey());
            }
            // Every chunk but the all-zero ones (made locally) arrived exactly once.
            Set<String> expected = new HashSet<>();
            for (IndexEntry e : IndexReader.read(index).entries()) {
                if (!e.id().equals(DigestAlgorithm.SHA512_256.zeroChunkId(e.size()))) {
                    expected.add("/images/" + prefix + "/" + ChunkLayout.path(e.id(), true));
                }
            }
            assertEquals(expected, proxy.delivered().keySet());
            assertTrue(run.err().isEmpty() || !run.err().contains("Exception"), run.err());
        }
    }

    @Test
    void pruneWhileAMakeRunsKeepsEveryChunkTheMakeWritesOrReuses() throws Exception {
        String prefix = "race/store.castr";
        String store = server.location("images", prefix);
        byte[] v1 = TestData.mixed(48, 8 << 20);
        byte[] v2 = changed(v1, 10);
        Path i1 = dir.resolve("v1.caibx");
        Path i2 = dir.resolve("v2.caibx");
        Cli.run("make", "--store=" + store, i1, TestData.write(dir, "v1.img", v1))
                .assertOk();
        // The prune keeps only what this unrelated index (in another store) needs: all of v1 is up for deletion.
        Path other = dir.resolve("other.caibx");
        Cli.run(
                        "make",
                        "--store=" + dir.resolve("other.castr"),
                        other,
                        TestData.write(dir, "other.img", TestData.random(49, 100_000)))
                .assertOk();
        Path v2Image = TestData.write(dir, "v2.img", v2);
        Thread.sleep(6000); // v1's objects well before the prune's cutoff (S3 keeps times to the second)

        Instant v2Started = Instant.now();
        try (FaultProxy counting = new FaultProxy(server.port(), path -> false)) {
            Process make = Cli.start(
                    Map.of(
                            "AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
                            "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY,
                            "AWS_EC2_METADATA_DISABLED", "true"),
                    null,
                    "make",
                    "--store=s3+http://127.0.0.1:" + counting.port() + "/images/" + prefix,
                    i2,
                    v2Image);
            // Once the make is reusing v1's chunks (touches are CopyObject, a PUT), the prune starts.
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (counting.requestHeads().stream()
                                    .filter(h -> h.startsWith("PUT "))
                                    .count()
                            < 10
                    && make.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(make.isAlive(), "the make still runs when the prune starts");
            // The grace covers the make from its start (as the README says to), not v1's make.
            long grace = Duration.between(v2Started, Instant.now()).toSeconds() + 1;
            Cli.Run pruned = Cli.run("prune", "--json", "--store=" + store, "--grace=" + grace + "s", other)
                    .assertOk();
            Cli.finish(make).assertOk();
            // v1's own chunks went, and so did those the make had not reached yet (it stores them
            // again after the prune); those it had touched since the cutoff were kept.
            Set<ChunkId> onlyV1 = new HashSet<>(Inspect.ids(i1));
            onlyV1.removeAll(Inspect.ids(i2));
            Map<String, Object> report = Inspect.json(pruned);
            assertTrue(new HashSet<>(Json.array(report.get("removed"))).containsAll(names(onlyV1)), pruned.out());
            assertTrue(Inspect.number(report, "recent_files") > 0, pruned.out());
        }
        // Exactly v2's chunks are left, and v2 extracts from them.
        assertEquals(names(Inspect.ids(i2)), objects(prefix));
        Path out = dir.resolve("out.img");
        Cli.run("extract", "--store=" + store, i2, out).assertOk();
        assertArrayEquals(v2, Files.readAllBytes(out));
    }
}
