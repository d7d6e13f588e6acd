package dev.jcasync.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.Compression;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.ReadStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunk server over a cache directory that fills itself from a backing store on a miss. */
class ReadThroughServeTest {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @TempDir
    Path dir;

    private ChunkServer server;
    private final List<String> errors = new CopyOnWriteArrayList<>();

    /** The backing store: a directory whose reads are counted (and slowed, so that askers overlap). */
    private static final class Counted implements ReadStore {
        final LocalStore store;
        final AtomicInteger gets = new AtomicInteger();
        volatile IOException failure;

        Counted(Path root) {
            store = new LocalStore(root);
        }

        @Override
        public Optional<ChunkFile> get(ChunkId id) throws IOException {
            gets.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return store.get(id);
        }

        @Override
        public boolean has(ChunkId id) {
            return store.has(id);
        }

        @Override
        public String location() {
            return "backing " + store.location();
        }
    }

    private Counted backing;
    private LocalStore cache;

    private static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** A chunk put into the backing store only; returns its id. */
    private ChunkId inBacking(byte[] data) throws IOException {
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        backing.store.write(id, ChunkCodec.encode(data, 0, data.length, Compression.ZSTD));
        return id;
    }

    private void start() throws IOException {
        backing = backing == null ? new Counted(dir.resolve("backing")) : backing;
        cache = new LocalStore(dir.resolve("cache"));
        server = ChunkServer.start(
                cache,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults().withErrors(errors::add),
                new ReadThroughStore(cache, backing, ChunkVerifier.anyDigest()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.isDirectory(cache.root())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cache.root())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aMissingChunkIsFetchedVerifiedKeptAndServedThenServedFromTheCache() throws Exception {
        backing = new Counted(dir.resolve("backing"));
        byte[] data = random(1, 100_000);
        ChunkId id = inBacking(data);
        start();
        HttpResponse<byte[]> first = get(ChunkLayout.path(id, true));
        assertEquals(200, first.statusCode());
        assertArrayEquals(backing.store.get(id).orElseThrow().bytes(), first.body());
        assertTrue(Files.isRegularFile(cache.compressedPath(id)), "kept in the cache");
        HttpResponse<byte[]> again = get(ChunkLayout.path(id, true));
        assertEquals(200, again.statusCode());
        assertArrayEquals(first.body(), again.body());
        assertEquals(1, backing.gets.get(), "the second answer came from the cache");

        // The raw form is made from the verified data.
        HttpResponse<byte[]> raw = get(ChunkLayout.path(id, false));
        assertEquals(200, raw.statusCode());
        assertArrayEquals(data, raw.body());
        assertEquals(List.of(), errors);
    }

    @Test
    void aChunkTheBackingStoreLacksIs404AndNothingIsKept() throws Exception {
        start();
        ChunkId id = DigestAlgorithm.SHA512_256.digest(random(2, 1000));
        assertEquals(404, get(ChunkLayout.path(id, true)).statusCode());
        assertEquals(List.of(), cacheFiles());
        assertEquals(List.of(), errors);
    }

    @Test
    void aCorruptCopyIsNeverKeptOrServed() throws Exception {
        backing = new Counted(dir.resolve("backing"));
        byte[] data = random(3, 50_000);
        ChunkId id = inBacking(data);
        Path file = backing.store.compressedPath(id);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        start();
        HttpResponse<byte[]> answer = get(ChunkLayout.path(id, true));
        assertEquals(502, answer.statusCode());
        assertEquals(List.of(), cacheFiles(), "nothing kept, no temporary file left");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(id.toString()), errors.toString());
        assertEquals(502, get(ChunkLayout.path(id, false)).statusCode());

        // Repaired at the source: served from then on.
        backing.store.write(id, ChunkCodec.encode(data, 0, data.length, Compression.ZSTD));
        assertEquals(200, get(ChunkLayout.path(id, true)).statusCode());
    }

    @Test
    void aFailingBackingStoreIs502WithOneLogLine() throws Exception {
        backing = new Counted(dir.resolve("backing"));
        ChunkId id = inBacking(random(4, 10_000));
        backing.failure = new IOException("store s3+http://x/b: S3 answered 500 InternalError");
        start();
        assertEquals(502, get(ChunkLayout.path(id, true)).statusCode());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("InternalError"), errors.toString());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void manyClientsAskingForTheSameMissingChunkCauseOneFetch() throws Exception {
        backing = new Counted(dir.resolve("backing"));
        byte[] data = random(5, 200_000);
        ChunkId id = inBacking(data);
        start();
        List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(server.url() + ChunkLayout.path(id, true)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        byte[] expected = backing.store.get(id).orElseThrow().bytes();
        for (CompletableFuture<HttpResponse<byte[]>> a : answers) {
            assertEquals(200, a.get().statusCode());
            assertArrayEquals(expected, a.get().body());
        }
        assertEquals(1, backing.gets.get(), "one fetch for sixteen askers");
    }

    @Test
    void aReadThroughServerIsReadOnly() throws IOException {
        LocalStore local = new LocalStore(dir.resolve("cache"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ChunkServer.start(
                        local,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        ServerOptions.defaults().withWritable(null),
                        new ReadThroughStore(local, new Counted(dir.resolve("b")), ChunkVerifier.anyDigest())));
        assertFalse(Files.exists(dir.resolve("cache")));
    }
}
