package dev.jcasync.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.StoreUnavailableException;
import dev.jcasync.store.http.HttpStore;
import dev.jcasync.store.http.HttpStoreOptions;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extract over a hostile network: every chunk's first request fails in one of several ways
 * (5xx, reset, truncated body, corrupt body, a response slower than the timeout). The output must
 * be exact, and the cache must never hold a chunk that failed verification.
 */
class FaultyNetworkExtractTest {
    private static final HttpStoreOptions FAST = HttpStoreOptions.defaults()
            .withRetries(3)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700), Duration.ZERO);

    @TempDir
    Path dir;

    final MockWebServer server = new MockWebServer();
    LocalStore origin;
    BlobIndex index;
    byte[] data;

    @BeforeEach
    void setUp() throws IOException {
        data = TestData.concat(TestData.random(1, 3 << 20), new byte[1 << 20], TestData.random(2, 2 << 20));
        origin = new LocalStore(dir.resolve("origin.castr"));
        index = new BlobMaker(MakeOptions.defaults().withConcurrency(2))
                .make(TestData.channel(data), origin)
                .index();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getPort() + "/store/";
    }

    /** Serves the origin store, letting {@code fault} replace the response for (chunk file, attempt number). */
    private void serve(FaultPlan fault) {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                String name = path.substring(path.lastIndexOf('/') + 1);
                ChunkId id = ChunkId.parse(name.substring(0, 64));
                Optional<ChunkFile> file;
                try {
                    file = origin.get(id);
                } catch (IOException e) {
                    return new MockResponse.Builder().code(500).build();
                }
                if (file.isEmpty()) {
                    return new MockResponse.Builder().code(404).build();
                }
                int attempt =
                        attempts.computeIfAbsent(name, k -> new AtomicInteger()).getAndIncrement();
                MockResponse faulty = fault.response(id, attempt, file.get().bytes());
                return faulty != null ? faulty : ok(file.get().bytes());
            }
        });
    }

    @FunctionalInterface
    interface FaultPlan {
        /** The response for this attempt, or null for the real chunk file. */
        MockResponse response(ChunkId id, int attempt, byte[] file);
    }

    private static MockResponse ok(byte[] body) {
        return new MockResponse.Builder().body(new Buffer().write(body)).build();
    }

    private static byte[] corrupted(byte[] file) {
        byte[] bad = file.clone();
        bad[bad.length / 2] ^= 0x20;
        return bad;
    }

    /** Each chunk fails on its first request, the kind of failure picked by the chunk's id. */
    private static final List<Function<byte[], MockResponse>> FAULTS = List.of(
            file -> new MockResponse.Builder().code(503).build(),
            file -> new MockResponse.Builder()
                    .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
                    .build(),
            file -> new MockResponse.Builder()
                    .body(new Buffer().write(file, 0, file.length / 2))
                    .setHeader("Content-Length", file.length)
                    .onResponseEnd(new SocketEffect.CloseSocket())
                    .build(),
            file -> ok(corrupted(file)),
            file -> new MockResponse.Builder()
                    .body(new Buffer().write(file))
                    .bodyDelay(2, TimeUnit.SECONDS)
                    .build());

    private ExtractReport extract(List<ChunkStore> stores, LocalStore cache, Path out) throws IOException {
        ExtractOptions options = ExtractOptions.defaults().withConcurrency(4).withCache(cache);
        return new Assembler(stores, options).extract(index, out);
    }

    @Test
    void everyFirstRequestFailsYetOutputIsExact() throws IOException {
        serve((id, attempt, file) -> attempt == 0
                ? FAULTS.get(Math.floorMod(id.hashCode(), FAULTS.size())).apply(file)
                : null);
        LocalStore cache = new LocalStore(dir.resolve("cache"));
        Path out = dir.resolve("out.img");
        try (HttpStore http = new HttpStore(url(), FAST)) {
            ExtractReport report = extract(List.of(http), cache, out);
            assertArrayEquals(data, Files.readAllBytes(out));
            java.util.Set<String> fetched = index.entries().stream()
                    .filter(e -> !e.id().equals(DigestAlgorithm.SHA512_256.zeroChunkId(e.size()))) // made locally
                    .map(e -> e.id().toHex())
                    .collect(java.util.stream.Collectors.toSet());
            assertEquals(fetched.size(), report.fromStores().get(1).chunks(), "each distinct chunk fetched once");
            assertEquals(fetched, assertCacheHoldsOnlyVerifiedChunks(cache), "every fetched chunk is cached, verified");
        }
    }

    @Test
    void alwaysCorruptChunkFailsClearlyAndIsNeverCached() throws IOException {
        ChunkId victim = index.entries().get(2).id();
        serve((id, attempt, file) -> id.equals(victim) ? ok(corrupted(file)) : null);
        LocalStore cache = new LocalStore(dir.resolve("cache"));
        Path out = dir.resolve("out.img");
        try (HttpStore http = new HttpStore(url(), FAST)) {
            CorruptChunkException e =
                    assertThrows(CorruptChunkException.class, () -> extract(List.of(http), cache, out));
            assertTrue(
                    e.getMessage().contains(victim.toHex())
                            && e.getMessage()
                                    .contains("offset " + index.entries().get(2).offset()),
                    e.getMessage());
        }
        assertFalse(Files.exists(out), "no output after a failed extract");
        assertFalse(cache.has(victim), "a chunk that failed verification must not be cached");
        assertCacheHoldsOnlyVerifiedChunks(cache);
    }

    @Test
    void oneStoreDownTheNextServes() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        serve((id, attempt, file) -> null);
        Path out = dir.resolve("out.img");
        try (HttpStore dead = new HttpStore("http://127.0.0.1:" + deadPort + "/store", FAST);
                HttpStore good = new HttpStore(url(), FAST)) {
            ExtractReport report = extract(List.of(dead, good), null, out);
            assertArrayEquals(data, Files.readAllBytes(out));
            assertEquals(0, report.fromStores().get(0).chunks());
        }
    }

    @Test
    void onlyStoreDownFailsWithTheStoreNamed() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            deadPort = s.getLocalPort();
        }
        Path out = dir.resolve("out.img");
        try (HttpStore dead = new HttpStore("http://127.0.0.1:" + deadPort + "/store", FAST)) {
            IOException e = assertThrows(IOException.class, () -> extract(List.of(dead), null, out));
            assertTrue(e.getMessage().contains("127.0.0.1:" + deadPort), e.getMessage());
        }
        assertFalse(Files.exists(out));
    }

    /** The ids (hex) the cache holds, each checked to decode to its id. */
    private static java.util.Set<String> assertCacheHoldsOnlyVerifiedChunks(LocalStore cache) throws IOException {
        java.util.Set<String> held = new java.util.HashSet<>();
        if (!Files.exists(cache.root())) {
            return held;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(cache.root())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertTrue(name.endsWith(".cacnk"), "unexpected file in cache: " + name);
            byte[] decoded = ChunkCodec.decode(new ChunkFile(Files.readAllBytes(f), true), -1);
            assertEquals(
                    name.substring(0, 64),
                    DigestAlgorithm.SHA512_256.digest(decoded).toHex(),
                    "cached " + name);
            held.add(name.substring(0, 64));
        }
        return held;
    }

    @Test
    void networkLostHalfWayKeepsThePartialOutputAndTheRerunContinues() throws IOException {
        AtomicInteger served = new AtomicInteger();
        int distinct =
                (int) index.entries().stream().map(e -> e.id()).distinct().count();
        serve((id, attempt, file) -> served.incrementAndGet() > distinct / 2
                ? new MockResponse.Builder().code(503).build()
                : null);
        Path out = dir.resolve("out.img");
        try (HttpStore http = new HttpStore(url(), FAST)) {
            StoreUnavailableException e = assertThrows(
                    StoreUnavailableException.class,
                    () -> new Assembler(List.of(http), ExtractOptions.defaults().withConcurrency(2))
                            .extract(index, out));
            assertTrue(e.getMessage().contains("rerun"), e.getMessage());
        }
        assertFalse(Files.exists(out), "no output while incomplete");

        serve((id, attempt, file) -> null); // the network is back
        try (HttpStore http = new HttpStore(url(), FAST)) {
            ExtractPlan plan =
                    new Assembler(List.of(http), ExtractOptions.defaults().withConcurrency(2)).plan(index, out);
            ExtractReport rerun =
                    new Assembler(List.of(http), ExtractOptions.defaults().withConcurrency(2)).extract(index, out);
            assertEquals(
                    plan.inPlace(), rerun.inPlace(), "the dry run saw what the rerun would keep of the partial output");
            assertEquals(plan.fromStores(), rerun.fromStores(), "and predicted the rest of the download");
            assertArrayEquals(data, Files.readAllBytes(out));
            assertTrue(rerun.inPlace().chunks() > 0, "the rerun kept what the first run had written");
            assertTrue(rerun.fromStores().get(0).chunks() < distinct, "and fetched only the rest");
        }
        try (Stream<Path> list = Files.list(dir)) {
            assertTrue(list.noneMatch(p -> p.getFileName().toString().startsWith(".#")), "no temporary file left");
        }
    }
}
