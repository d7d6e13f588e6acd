package dev.jcasync.store.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.Compression;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpStoreTest {
    /** Tiny backoff so retries cost milliseconds; a generous timeout so only the slow-body tests time out. */
    private static final HttpStoreOptions FAST = HttpStoreOptions.defaults()
            .withRetries(3)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .withTimeout(Duration.ofSeconds(5));

    private final MockWebServer server = new MockWebServer();
    private final List<HttpStore> stores = new ArrayList<>();

    /** A chunk: its data, its zstd chunk file and its id. */
    private record Chunk(byte[] data, ChunkFile file, ChunkId id) {
        static Chunk of(long seed, int size) throws IOException {
            byte[] data = TestData.random(seed, size);
            return new Chunk(
                    data, ChunkCodec.encode(data, 0, size, Compression.ZSTD), DigestAlgorithm.SHA512_256.digest(data));
        }

        String path() {
            return "/" + id.prefix() + "/" + id.toHex() + ".cacnk";
        }
    }

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        stores.forEach(HttpStore::close);
        server.close();
    }

    private HttpStore store(String path, HttpStoreOptions options) throws IOException {
        HttpStore store = new HttpStore(url(path), options);
        stores.add(store);
        return store;
    }

    /** The server's URL for {@code path}, by address: tests stay on 127.0.0.1 whatever "localhost" resolves to. */
    private String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    private HttpStore store(HttpStoreOptions options) throws IOException {
        return store("/st/", options);
    }

    private static MockResponse ok(byte[] body) {
        return new MockResponse.Builder().body(new Buffer().write(body)).build();
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    private static ChunkReader reader(HttpStore store) {
        return new ChunkReader(List.of(store), DigestAlgorithm.SHA512_256);
    }

    // ---- URLs ----

    @Test
    void baseUrlIsCutAtQueryOrParametersAndLosesTrailingSlashes() {
        assertEquals("http://h/st", HttpStore.baseUrl("http://h/st//?x=1;y=2"));
        assertEquals("http://h/st", HttpStore.baseUrl("http://h/st;y=2?x=/1"));
        assertEquals("http://h/st", HttpStore.baseUrl("http://h/st"));
        assertEquals("http://h", HttpStore.baseUrl("http://h/"));
        assertEquals("https://h:8443/a//b", HttpStore.baseUrl("https://h:8443/a//b///"));
    }

    @Test
    void chunkUrlMatchesCasync() throws IOException {
        Chunk c = Chunk.of(1, 1000);
        String expected = "/st/" + c.id().prefix() + "/" + c.id().toHex() + ".cacnk";
        for (String base : new String[] {"/st", "/st/", "/st//?x=1;y=2", "/st;y=2"}) {
            server.enqueue(ok(c.file().bytes()));
            HttpStore store = new HttpStore("http://127.0.0.1:" + server.getPort() + base, FAST);
            stores.add(store);
            assertTrue(store.chunkUrl(c.id()).endsWith(expected), store.chunkUrl(c.id()));
            assertTrue(store.get(c.id()).isPresent());
            RecordedRequest request = takeRequest();
            assertEquals("GET", request.getMethod());
            assertEquals(expected, request.getTarget(), "store URL " + base);
        }
    }

    @Test
    void storeAtServerRootUsesTopLevelPrefixDirectories() throws IOException, InterruptedException {
        Chunk c = Chunk.of(2, 100);
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store("/", FAST);
        assertTrue(store.get(c.id()).isPresent());
        assertEquals(c.path(), takeRequest().getTarget());
    }

    @Test
    void recognisesHttpUrlsLikeCasync() {
        for (String yes : new String[] {
            "http://h", "https://h/x", "HTTP://h?x=1", "http://h;p", "http://u:p@h:80/x", "http://[::1]:8080/st"
        }) {
            assertTrue(HttpStore.isHttpUrl(yes), yes);
        }
        for (String no : new String[] {
            "http://", "http:/h", "ftp://h/x", "/srv/store", "./http://h", "host:path", "file:///x", "default.castr"
        }) {
            assertFalse(HttpStore.isHttpUrl(no), no);
        }
    }

    @Test
    void rejectsNonHttpUrl() {
        assertThrows(IllegalArgumentException.class, () -> new HttpStore("ftp://h/st", FAST));
        assertThrows(IllegalArgumentException.class, () -> new HttpStore("/local/path", FAST));
    }

    // ---- status handling ----

    @Test
    void okReturnsCompressedFileAndCountsTransfer() throws IOException, InterruptedException {
        Chunk c = Chunk.of(3, 5000);
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        ChunkFile file = store.get(c.id()).orElseThrow();
        assertArrayEquals(c.file().bytes(), file.bytes());
        assertTrue(file.compressed());
        assertEquals(1, store.requests());
        assertEquals(c.file().bytes().length, store.bytesReceived());
        RecordedRequest request = takeRequest();
        assertEquals("identity", request.getHeaders().get("Accept-Encoding"), "no gzip for compressed chunks");
    }

    @Test
    void notFoundIsEmptyWithoutRetry() throws IOException {
        Chunk c = Chunk.of(4, 100);
        server.enqueue(status(404));
        server.enqueue(status(410));
        HttpStore store = store(FAST);

        assertEquals(Optional.empty(), store.get(c.id()));
        assertEquals(1, server.getRequestCount());
        assertEquals(1, store.requests());
        assertEquals(Optional.empty(), store.get(c.id()), "410 Gone is absent too");
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void serverErrorsAreRetried() throws IOException {
        Chunk c = Chunk.of(5, 1000);
        server.enqueue(status(503));
        server.enqueue(status(503));
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        assertArrayEquals(c.file().bytes(), store.get(c.id()).orElseThrow().bytes());
        assertEquals(3, server.getRequestCount());
        assertEquals(3, store.requests());
    }

    @Test
    void throttlingAndRequestTimeoutAreRetriedAndRetryAfterIsCapped() throws IOException {
        Chunk c = Chunk.of(6, 1000);
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "3600")
                .build());
        server.enqueue(status(408));
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        long start = System.nanoTime();
        assertTrue(store.get(c.id()).isPresent());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "Retry-After is capped by maxBackoff");
        assertEquals(3, server.getRequestCount());
    }

    @Test
    void alwaysFailingServerGivesUpAfterRetriesNamingChunkAndUrl() throws IOException {
        Chunk c = Chunk.of(7, 100);
        server.setDispatcher(always(status(500)));
        HttpStore store = store(FAST);

        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertEquals(4, server.getRequestCount(), "retries + 1 attempts");
        assertEquals(
                "chunk " + c.id() + ": GET " + store.chunkUrl(c.id())
                        + " failed after 4 attempts: HTTP 500 Server Error",
                e.getMessage());
    }

    @Test
    void authorizationErrorsFailAtOnce() throws IOException {
        Chunk c = Chunk.of(8, 100);
        server.enqueue(status(403));
        server.enqueue(status(401));
        HttpStore store = store(FAST);

        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertEquals("chunk " + c.id() + ": GET " + store.chunkUrl(c.id()) + ": HTTP 403 Client Error", e.getMessage());
        assertEquals(1, server.getRequestCount());
        e = assertThrows(IOException.class, () -> store.has(c.id()));
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertEquals(2, server.getRequestCount());
    }

    // ---- broken connections ----

    @Test
    void disconnectBeforeResponseIsRetried() throws IOException {
        Chunk c = Chunk.of(9, 1000);
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket())
                .build());
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
                .build());
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        assertArrayEquals(c.file().bytes(), store.get(c.id()).orElseThrow().bytes());
        assertEquals(3, server.getRequestCount(), "both broken responses were consumed before the good one");
    }

    @Test
    void disconnectDuringBodyIsRetried() throws IOException {
        Chunk c = Chunk.of(10, 100_000);
        server.enqueue(new MockResponse.Builder()
                .body(new Buffer().write(c.file().bytes()))
                .onResponseBody(new SocketEffect.CloseSocket())
                .build());
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        assertArrayEquals(c.file().bytes(), store.get(c.id()).orElseThrow().bytes());
        assertEquals(2, store.requests());
        assertTrue(store.bytesReceived() > c.file().bytes().length, "the partial body counts as received too");
    }

    @Test
    void truncatedBodyIsRetried() throws IOException {
        Chunk c = Chunk.of(11, 1000);
        server.enqueue(truncated(c.file().bytes()));
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        assertArrayEquals(c.file().bytes(), store.get(c.id()).orElseThrow().bytes());
        assertEquals(2, store.requests());
    }

    @Test
    void alwaysTruncatedBodyFailsWithCause() throws IOException {
        Chunk c = Chunk.of(12, 1000);
        server.setDispatcher(always(truncated(c.file().bytes())));
        HttpStore store = store(FAST.withRetries(1));

        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "chunk " + c.id() + ": GET " + store.chunkUrl(c.id()) + " failed after 2 attempts: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("unexpected end of stream"), e.getMessage());
    }

    /** Announces more bytes than it sends, then hangs up. */
    private static MockResponse truncated(byte[] body) {
        return new MockResponse.Builder()
                .body(new Buffer().write(body, 0, body.length / 2))
                .setHeader("Content-Length", body.length)
                .onResponseEnd(new SocketEffect.CloseSocket())
                .build();
    }

    @Test
    void oversizedChunkFileIsRefusedWithoutRetry() throws IOException {
        Chunk c = Chunk.of(29, 100);
        server.enqueue(new MockResponse.Builder()
                .body(new Buffer().write(c.file().bytes()))
                .setHeader("Content-Length", 200L << 20)
                .build());
        HttpStore store = store(FAST);

        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertEquals(1, store.requests());
        assertEquals(
                "chunk " + c.id() + ": GET " + store.chunkUrl(c.id()) + ": response body of " + (200L << 20)
                        + " bytes exceeds the limit of " + HttpStore.MAX_CHUNK_FILE_BYTES,
                e.getMessage());
    }

    @Test
    void slowBodyTimesOutAndIsRetried() throws IOException {
        Chunk c = Chunk.of(13, 1000);
        server.enqueue(new MockResponse.Builder()
                .body(new Buffer().write(c.file().bytes()))
                .bodyDelay(3, TimeUnit.SECONDS)
                .build());
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST.withTimeout(Duration.ofMillis(200)));

        assertArrayEquals(c.file().bytes(), store.get(c.id()).orElseThrow().bytes());
        assertEquals(2, store.requests());
    }

    @Test
    void alwaysSlowServerFailsWithTimeoutMessage() throws IOException {
        Chunk c = Chunk.of(14, 1000);
        server.setDispatcher(always(new MockResponse.Builder()
                .body(new Buffer().write(c.file().bytes()))
                .bodyDelay(3, TimeUnit.SECONDS)
                .build()));
        HttpStore store = store(FAST.withRetries(1).withTimeout(Duration.ofMillis(200)));

        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
        // okhttp's own timeout says "timeout", the socket's "Read timed out": whichever fires first.
        assertTrue(
                e.getMessage()
                        .startsWith("chunk " + c.id() + ": GET " + store.chunkUrl(c.id())
                                + " failed after 2 attempts: SocketTimeoutException: "),
                e.getMessage());
    }

    @Test
    void storeDownFailsAfterRetriesInBoundedTime() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Chunk c = Chunk.of(15, 100);
        HttpStore store = new HttpStore("http://127.0.0.1:" + port + "/st", FAST);
        stores.add(store);

        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(4, store.requests());
        assertTrue(
                e.getMessage()
                        .startsWith("chunk " + c.id() + ": GET http://127.0.0.1:" + port + "/st/" + c.id().prefix()
                                + "/" + c.id() + ".cacnk failed after 4 attempts: ConnectException"),
                e.getMessage());
    }

    // ---- verification through ChunkReader ----

    @Test
    void corruptCopyIsFetchedAgain() throws IOException {
        Chunk c = Chunk.of(16, 10_000);
        Chunk other = Chunk.of(17, 10_000);
        server.enqueue(ok(other.file().bytes())); // valid zstd, wrong content
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST);

        assertArrayEquals(c.data(), reader(store).read(c.id(), c.data().length));
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void alwaysCorruptCopyIsReportedAsCorrupt() throws IOException {
        Chunk c = Chunk.of(18, 10_000);
        server.setDispatcher(always(ok(TestData.random(19, 5000))));
        HttpStore store = store(FAST);

        CorruptChunkException e =
                assertThrows(CorruptChunkException.class, () -> reader(store).read(c.id(), c.data().length));
        assertEquals(c.id(), e.id());
        assertTrue(e.getMessage().contains(store.location()), e.getMessage());
        assertEquals(FAST.retries() + 1, server.getRequestCount());
    }

    // ---- headers, HEAD, PUT ----

    @Test
    void extraHeadersAreSent() throws IOException, InterruptedException {
        Chunk c = Chunk.of(20, 100);
        server.enqueue(ok(c.file().bytes()));
        HttpStore store = store(FAST.withHeader("Authorization: Bearer s3cret").withHeader("X-Trace: 42"));

        store.get(c.id());
        RecordedRequest request = takeRequest();
        assertEquals("Bearer s3cret", request.getHeaders().get("Authorization"));
        assertEquals("42", request.getHeaders().get("X-Trace"));
    }

    @Test
    void userInfoInUrlBecomesBasicAuthAndIsHiddenInMessages() throws IOException, InterruptedException {
        Chunk c = Chunk.of(21, 100);
        server.enqueue(status(403));
        String url = "http://alice:pw@127.0.0.1:" + server.getPort() + "/st";
        HttpStore store = new HttpStore(url, FAST);
        stores.add(store);

        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertEquals("Basic YWxpY2U6cHc=", takeRequest().getHeaders().get("Authorization"));
        assertFalse(e.getMessage().contains("pw"), e.getMessage());
        assertFalse(store.location().contains("pw"), store.location());
    }

    @Test
    void malformedHeaderOptionIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> FAST.withHeader("no colon"));
        assertThrows(IllegalArgumentException.class, () -> new HttpStore(url("/"), FAST.withHeader("Bad Name: x")));
    }

    @Test
    void hasUsesHead() throws IOException, InterruptedException {
        Chunk c = Chunk.of(22, 100);
        server.enqueue(status(200));
        server.enqueue(status(404));
        HttpStore store = store(FAST);

        assertTrue(store.has(c.id()));
        assertFalse(store.has(c.id()));
        RecordedRequest request = takeRequest();
        assertEquals("HEAD", request.getMethod());
        assertEquals("/st" + c.path(), request.getTarget());
    }

    @Test
    void putUploadsChunkFileIntact() throws IOException, InterruptedException {
        Chunk c = Chunk.of(23, 50_000);
        server.enqueue(status(503));
        server.enqueue(status(201));
        HttpStore store = store(FAST);

        store.put(c.id(), c.file());
        assertEquals(2, server.getRequestCount());
        takeRequest();
        RecordedRequest request = takeRequest();
        assertEquals("PUT", request.getMethod());
        assertEquals("/st" + c.path(), request.getTarget());
        assertEquals("application/octet-stream", request.getHeaders().get("Content-Type"));
        assertArrayEquals(c.file().bytes(), request.getBody().toByteArray());
    }

    @Test
    void putOfRawChunkUploadsItCompressed() throws IOException, InterruptedException {
        Chunk c = Chunk.of(24, 10_000);
        server.enqueue(status(204));
        HttpStore store = store(FAST);

        store.put(c.id(), new ChunkFile(c.data(), false));
        byte[] uploaded = takeRequest().getBody().toByteArray();
        assertArrayEquals(c.data(), ChunkCodec.decode(new ChunkFile(uploaded, true), c.data().length));
    }

    @Test
    void refusedPutFails() throws IOException {
        Chunk c = Chunk.of(25, 100);
        server.enqueue(status(405));
        HttpStore store = store(FAST);

        IOException e = assertThrows(IOException.class, () -> store.put(c.id(), c.file()));
        assertTrue(e.getMessage().contains("PUT") && e.getMessage().contains("HTTP 405"), e.getMessage());
    }

    // ---- whole resources ----

    @Test
    void getResourceFetchesWholeFileWithRetries() throws IOException, InterruptedException {
        byte[] index = TestData.random(26, 3000);
        server.enqueue(status(502));
        server.enqueue(ok(index));
        HttpStore store = store(FAST);

        String url = url("/d/x.caibx?sig=1");
        assertArrayEquals(index, store.getResource(url));
        takeRequest();
        assertEquals("/d/x.caibx?sig=1", takeRequest().getTarget(), "a resource URL is used as given");
    }

    @Test
    void getResourceNon200NamesUrl() throws IOException {
        server.enqueue(status(404));
        try (HttpTransport transport = new HttpTransport(FAST)) {
            String url = url("/d/x.caibx");
            IOException e = assertThrows(IOException.class, () -> transport.getResource(url));
            assertEquals("GET " + url + ": HTTP 404 Client Error", e.getMessage());
            assertEquals(1, transport.requests());
        }
    }

    // ---- concurrency ----

    @Test
    void parallelGetsFromManyThreads() throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        Map<String, byte[]> files = new ConcurrentHashMap<>();
        for (int i = 0; i < 64; i++) {
            Chunk c = Chunk.of(100 + i, 2000 + 37 * i);
            chunks.add(c);
            files.put("/st" + c.path(), c.file().bytes());
        }
        Set<Integer> connections = ConcurrentHashMap.newKeySet();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                connections.add(request.getConnectionIndex());
                byte[] body = files.get(request.getTarget());
                return body == null ? status(404) : ok(body);
            }
        });
        HttpStore store = store(FAST);
        ChunkReader reader = reader(store);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    for (int i = first; i < chunks.size(); i += 8) {
                        Chunk c = chunks.get(i);
                        assertArrayEquals(c.data(), reader.read(c.id(), c.data().length));
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(64, store.requests());
        assertTrue(connections.size() <= 16, "connections are reused: " + connections.size() + " for 64 requests");
    }

    @Test
    void concurrentRequestsAreLimited() throws Exception {
        Chunk c = Chunk.of(27, 100);
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                peak.accumulateAndGet(active.incrementAndGet(), Math::max);
                Thread.sleep(30);
                active.decrementAndGet();
                return ok(c.file().bytes());
            }
        });
        HttpStore store = store(FAST.withMaxConcurrentRequests(2));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                results.add(pool.submit(() -> store.get(c.id()).isPresent()));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get(20, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(peak.get() <= 2, "peak concurrency " + peak.get());
    }

    @Test
    void closedStoreRefusesRequests() throws IOException {
        Chunk c = Chunk.of(28, 100);
        HttpStore store = store(FAST);
        store.close();
        IOException e = assertThrows(IOException.class, () -> store.get(c.id()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(0, server.getRequestCount());
    }

    @Test
    void refetchesOnCorruptionFollowsRetries() throws IOException {
        assertEquals(3, store(FAST).refetchesOnCorruption());
        assertEquals(5, HttpStoreOptions.defaults().retries());
    }

    // ---- helpers ----

    private RecordedRequest takeRequest() {
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("no request arrived");
            }
            return request;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Answers every request with the same response (bounded by the client's retry count). */
    private static Dispatcher always(MockResponse response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response;
            }
        };
    }
}
