package dev.jcasync.store.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.store.CacheStore;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.Compression;
import dev.jcasync.store.Fetched;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.StoreProvider;
import dev.jcasync.store.StoreRouter;
import dev.jcasync.store.Stores;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Stores} finding this module through its {@link StoreProvider}, and stores that wrap stores over real HTTP. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StoresOverHttpTest {
    private static final DigestAlgorithm SHA = DigestAlgorithm.SHA512_256;
    private static final RemoteOptions ONE_RETRY =
            RemoteOptions.defaults().withRetries(1).withTimeout(Duration.ofSeconds(5));

    @TempDir
    Path tmp;

    private final MockWebServer server = new MockWebServer();
    /** What the server holds, by request target; anything else is 404. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** When set, every request gets this status. */
    private volatile int failWith;

    private record Chunk(byte[] data, ChunkFile file, ChunkId id) {
        static Chunk of(long seed, int size) throws IOException {
            byte[] data = TestData.random(seed, size);
            return new Chunk(data, ChunkCodec.encode(data, 0, size, Compression.ZSTD), SHA.digest(data));
        }
    }

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (failWith != 0) {
                    return new MockResponse.Builder().code(failWith).build();
                }
                byte[] body = files.get(request.getTarget());
                return body == null
                        ? new MockResponse.Builder().code(404).build()
                        : new MockResponse.Builder()
                                .body(new Buffer().write(body))
                                .build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    private void serve(String storePath, Chunk c, ChunkFile file) {
        files.put(storePath + ChunkLayout.path(c.id(), true), file.bytes());
    }

    @Test
    void theProviderOnTheClassPathOpensHttpAndHttpsUrls() throws IOException {
        List<StoreProvider> providers = Stores.providers();
        assertEquals(1, providers.size());
        assertInstanceOf(HttpStoreProvider.class, providers.get(0));
        assertTrue(providers.get(0).accepts("HTTPS://h/x"));
        Chunk c = Chunk.of(1, 3000);
        serve("/st/", c, c.file());
        try (ChunkStore store = Stores.open(url("/st/"))) {
            assertInstanceOf(HttpStore.class, store);
            assertEquals(url("/st/"), store.location());
            assertArrayEquals(c.file().bytes(), store.get(c.id()).orElseThrow().bytes());
        }
        try (ChunkStore tls = Stores.open("https://127.0.0.1:1/st")) {
            assertInstanceOf(HttpStore.class, tls);
        }
    }

    @Test
    void theRemoteOptionsReachTheRequests() throws IOException, InterruptedException {
        failWith = 503;
        Chunk c = Chunk.of(2, 100);
        try (ChunkStore store = Stores.open(url("/st"), ONE_RETRY.withHeader("Authorization: Bearer t0k"))) {
            IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
            assertTrue(e.getMessage().contains("failed after 2 attempts"), e.getMessage());
            assertEquals(2, server.getRequestCount());
            assertEquals("Bearer t0k", server.takeRequest().getHeaders().get("Authorization"));
            assertEquals(
                    1,
                    store.refetchesOnCorruption(),
                    "a corrupt chunk is fetched again as often as a request is retried");
        }
    }

    @Test
    void anUnsupportedSchemeNamesWhatIsSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stores.open("ftp://h/store"));
        assertEquals("store ftp://h/store: unsupported URL scheme (use a directory or http(s)://)", e.getMessage());
    }

    @Test
    void readsAnIndexOverHttp() throws IOException {
        BlobIndex index = new BlobIndex(
                BlobIndex.featureFlagsFor(SHA),
                ChunkSizes.of(64, 256, 1024),
                List.of(new IndexEntry(0, 100, SHA.digest(TestData.random(3, 100)))));
        files.put("/idx/a.caibx?sig=1", IndexWriter.toBytes(index));
        assertEquals(index, Stores.readIndex(url("/idx/a.caibx?sig=1"), ONE_RETRY));
        IOException e = assertThrows(IOException.class, () -> Stores.readIndex(url("/idx/missing.caibx"), ONE_RETRY));
        assertTrue(
                e.getMessage().contains("/idx/missing.caibx") && e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void theDefaultStoreOfAnIndexUrlIsBesideIt() throws IOException {
        String location = Stores.defaultStore(url("/idx/a.caibx?sig=1"), null);
        assertEquals(url("/idx/default.castr"), location);
        Chunk c = Chunk.of(4, 500);
        serve("/idx/default.castr/", c, c.file());
        try (ChunkStore store = Stores.open(location, ONE_RETRY)) {
            assertTrue(store.has(c.id()));
        }
    }

    @Test
    void aRouterAsksAFailingServerOnceThenReadsTheNextStore() throws IOException {
        failWith = 500;
        LocalStore local = new LocalStore(tmp.resolve("local"));
        List<Chunk> chunks = List.of(Chunk.of(5, 1000), Chunk.of(6, 1000), Chunk.of(7, 1000));
        for (Chunk c : chunks) {
            local.put(c.id(), c.file());
        }
        try (ChunkStore http = Stores.open(url("/st"), ONE_RETRY)) {
            StoreRouter router = new StoreRouter(List.of(http, local), ChunkVerifier.of(SHA));
            for (Chunk c : chunks) {
                assertSame(local, router.fetch(c.id(), 1000).store());
            }
            assertEquals(2, server.getRequestCount(), "one request and its retry, for the first chunk only");
        }
    }

    @Test
    void aCopyCorruptedOnTheServerIsFetchedAgainThenTakenFromTheNextStore() throws IOException {
        Chunk c = Chunk.of(8, 4000);
        byte[] other = c.data().clone();
        other[10] ^= 1;
        serve("/st/", c, ChunkCodec.encode(other, 0, other.length, Compression.ZSTD));
        LocalStore local = new LocalStore(tmp.resolve("local"));
        local.put(c.id(), c.file());
        try (ChunkStore http = Stores.open(url("/st"), ONE_RETRY)) {
            Fetched got = new StoreRouter(List.of(http, local), ChunkVerifier.of(SHA)).fetch(c.id(), 4000);
            assertSame(local, got.store());
            assertEquals(2, server.getRequestCount(), "fetched, and fetched again once");
        }
    }

    @Test
    void aCacheInFrontOfAServerFetchesEachChunkOnce() throws IOException {
        Chunk c = Chunk.of(9, 20000);
        serve("/st/", c, c.file());
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        try (ChunkStore http = Stores.open(url("/st"), ONE_RETRY)) {
            CacheStore cached = new CacheStore(cache, http, ChunkVerifier.of(SHA));
            assertSame(http, cached.fetch(c.id(), 20000).store());
            assertSame(cache, cached.fetch(c.id(), 20000).store());
            assertArrayEquals(c.data(), cached.fetch(c.id(), 20000).data());
            assertEquals(1, server.getRequestCount());
            assertTrue(http.isRemote());
        }
    }
}
