package dev.jcasync.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.maintain.PruneReport;
import dev.jcasync.maintain.Pruner;
import dev.jcasync.maintain.Verifier;
import dev.jcasync.maintain.VerifyReport;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.Compression;
import dev.jcasync.store.Fetched;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.StoreFile;
import dev.jcasync.store.StoreRouter;
import dev.jcasync.store.Stores;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** S3Store against a real S3 server (S3Proxy, signatures checked). */
class S3StoreTest {
    private static S3TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
        server.createBucket("chunks");
        S3TestServer.useTestCredentials();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static ChunkId id(byte[] data) {
        return DigestAlgorithm.SHA512_256.digest(data);
    }

    private static ChunkFile file(byte[] data) throws IOException {
        return ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);
    }

    @Test
    void storesAndReadsChunksUnderTheStoreLayout() throws IOException {
        byte[] data = TestData.random(1, 100_000);
        ChunkId id = id(data);
        try (S3Store store = server.store("chunks", "layout/store.castr")) {
            assertFalse(store.has(id));
            assertTrue(store.get(id).isEmpty());
            assertEquals(-1, store.sizeOf(id));
            ChunkFile f = file(data);
            store.put(id, f);
            assertTrue(store.has(id));
            assertEquals(f.bytes().length, store.sizeOf(id));
            ChunkFile back = store.get(id).orElseThrow();
            assertTrue(back.compressed());
            assertArrayEquals(f.bytes(), back.bytes());
            ChunkVerifier.of(DigestAlgorithm.SHA512_256).verify(id, data.length, back, store.location());
        }
        assertEquals(
                List.of("layout/store.castr/" + id.prefix() + "/" + id.toHex() + ".cacnk"),
                server.keys("chunks", "layout/"));
    }

    @Test
    void rawChunksAreCompressedBeforeUpload() throws IOException {
        byte[] data = TestData.random(2, 5000);
        ChunkId id = id(data);
        try (S3Store store = server.store("chunks", "raw")) {
            store.put(id, new ChunkFile(data, false));
            ChunkFile back = store.get(id).orElseThrow();
            assertTrue(back.compressed());
            ChunkVerifier.of(DigestAlgorithm.SHA512_256).verify(id, data.length, back, store.location());
        }
    }

    @Test
    void storesOpensS3LocationsAndReadsIndexFiles() throws IOException {
        String location = server.location("chunks", "opened");
        try (ChunkStore store = Stores.open(location, RemoteOptions.defaults())) {
            S3Store s3 = assertInstanceOf(S3Store.class, store);
            assertEquals(location, s3.location());
        }
        try (S3Store store = server.store("chunks", "")) {
            byte[] data = TestData.random(3, 10);
            store.write(id(data), new ChunkFile(data, true)); // any object will do as a "file"
        }
        IOException missing = assertThrows(
                IOException.class,
                () -> new S3StoreProvider()
                        .readFile(server.location("chunks", "no/such.caibx"), RemoteOptions.defaults()));
        assertTrue(missing.getMessage().contains("no such object"), missing.getMessage());
    }

    @Test
    void wrongCredentialsAreOneClearError() {
        S3Store store = new S3Store(
                S3Location.parse(server.location("chunks", "x")),
                RemoteOptions.defaults(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, "wrong-secret")));
        try (store) {
            ChunkId id = id(TestData.random(4, 10));
            for (IOException e : List.of(
                    assertThrows(IOException.class, () -> store.get(id)),
                    assertThrows(IOException.class, () -> store.has(id)),
                    assertThrows(IOException.class, () -> store.put(id, new ChunkFile(new byte[] {1}, true))))) {
                assertTrue(
                        e.getMessage().startsWith("store " + store.location() + ": chunk " + id + ": access denied"),
                        e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            // GetObject, and the put's look for prune marks (ListObjectsV2): a 403 is not retried.
            assertEquals(2, store.requests("GET"), "a 403 is not retried");
        }
    }

    @Test
    void missingBucketIsAnErrorNotAnAbsentChunk() {
        try (S3Store store = server.store("no-such-bucket", "s")) {
            ChunkId id = id(TestData.random(5, 10));
            for (IOException e : List.of(
                    assertThrows(IOException.class, () -> store.get(id)),
                    assertThrows(IOException.class, () -> store.has(id)),
                    assertThrows(IOException.class, () -> store.touch(id)),
                    assertThrows(IOException.class, () -> store.files().close()))) {
                assertEquals(
                        "store " + store.location() + ": no such bucket 'no-such-bucket' at " + server.endpoint(),
                        e.getMessage());
            }
        }
    }

    @Test
    void unreachableEndpointFailsAfterRetriesWithOneLine() {
        S3Store store = new S3Store(
                S3Location.parse("s3+http://127.0.0.1:1/b"),
                RemoteOptions.defaults().withRetries(1).withTimeout(Duration.ofSeconds(2)),
                S3TestServer.credentials());
        try (store) {
            IOException e = assertThrows(IOException.class, () -> store.get(id(new byte[] {1})));
            assertTrue(e.getMessage().startsWith("store s3+http://127.0.0.1:1/b: chunk "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(2, store.requests(), "one retry");
        }
    }

    @Test
    void aChunkMissingFromS3FallsThroughToTheNextStore() throws IOException {
        byte[] data = TestData.random(6, 70_000);
        ChunkId id = id(data);
        LocalStore local = new LocalStore(dir.resolve("local.castr"));
        local.put(id, file(data));
        S3Store s3 = server.store("chunks", "fallthrough");
        try (StoreRouter router = new StoreRouter(List.of(s3, local), ChunkVerifier.of(DigestAlgorithm.SHA512_256))) {
            Fetched fetched = router.fetch(id, data.length);
            assertArrayEquals(data, fetched.data());
            assertEquals(local, fetched.store());
            assertEquals(1, s3.requests("GET"));
        }
    }

    @Test
    void verifyFindsACorruptedObject() throws IOException {
        try (S3Store store = server.store("chunks", "verify")) {
            byte[] good = TestData.random(7, 30_000);
            store.put(id(good), file(good));
            byte[] bad = TestData.random(8, 30_000);
            ChunkFile badFile = file(bad);
            byte[] flipped = badFile.bytes().clone();
            flipped[flipped.length / 2] ^= 0x40;
            store.write(id(bad), new ChunkFile(flipped, true));

            VerifyReport report = new Verifier(store, List.of(DigestAlgorithm.SHA512_256), 4).verify();
            assertEquals(2, report.files());
            assertEquals(1, report.problems().size());
            VerifyReport.Problem p = report.problems().get(0);
            assertEquals(id(bad), p.file().id());
            assertFalse(report.ok());

            VerifyReport repaired = new Verifier(store, List.of(DigestAlgorithm.SHA512_256), 4).repair(null);
            assertEquals(VerifyReport.Action.REMOVED, repaired.problems().get(0).action());
            assertFalse(store.has(id(bad)));
            assertTrue(store.has(id(good)));
        }
    }

    @Test
    void pruneDeletesUnreferencedObjectsInBatchesAndKeepsReferencedOnes() throws Exception {
        try (S3Store store = server.store("chunks", "prune")) {
            Set<ChunkId> keep = new HashSet<>();
            List<ChunkId> drop = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                byte[] data = TestData.random(100 + i, 2000);
                store.put(id(data), file(data));
                (i % 3 == 0 ? keep : drop).add(id(data));
            }
            Thread.sleep(2100); // S3 keeps times to the second; the prune's cutoff is a second back
            long postsBefore = store.requests("POST");
            PruneReport report = new Pruner(store).prune(keep, Duration.ZERO, false);
            assertEquals(drop.size(), report.removed().size());
            assertEquals(keep.size(), report.kept().files());
            assertEquals(1, store.requests("POST") - postsBefore, "one DeleteObjects for all 20");
            for (ChunkId id : keep) {
                assertTrue(store.has(id));
            }
            for (ChunkId id : drop) {
                assertFalse(store.has(id));
            }
        }
    }

    @Test
    void aChunkTouchedAfterThePruneStartedIsKept() throws Exception {
        try (S3Store store = server.store("chunks", "touch")) {
            byte[] a = TestData.random(200, 2000);
            byte[] b = TestData.random(201, 2000);
            store.put(id(a), file(a));
            store.put(id(b), file(b));
            Thread.sleep(2100);
            Instant cutoff = store.now();
            Thread.sleep(1100);
            assertTrue(store.touch(id(a)), "a is present: the touch says so");
            assertFalse(store.touch(id(TestData.random(202, 10))), "an absent chunk is not made by a touch");
            PruneReport report = new Pruner(store).prune(Set.of(), cutoff, false);
            assertEquals(
                    List.of(id(b)), report.removed().stream().map(StoreFile::id).toList());
            assertEquals(1, report.recent().files());
            assertTrue(store.has(id(a)));
            ChunkVerifier.of(DigestAlgorithm.SHA512_256)
                    .verify(id(a), a.length, store.get(id(a)).orElseThrow(), "after touch");
        }
    }

    @Test
    void listingLeavesOutWhatIsNotAChunkFile() throws IOException {
        try (S3Store store = server.store("chunks", "listing")) {
            byte[] data = TestData.random(300, 100);
            store.put(id(data), file(data));
            try (var s3 = server.client()) {
                s3.putObject(
                        r -> r.bucket("chunks").key("listing/README"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("hello"));
                s3.putObject(
                        r -> r.bucket("chunks").key("listing/abcd/notachunk"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
            }
            try (Stream<StoreFile> files = store.files()) {
                assertEquals(List.of(id(data)), files.map(StoreFile::id).toList());
            }
        }
    }
}
