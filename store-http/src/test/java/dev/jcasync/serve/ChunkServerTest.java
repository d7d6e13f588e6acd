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
import dev.jcasync.store.Compression;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkServerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @TempDir
    Path dir;

    private LocalStore store;
    private ChunkServer server;

    /** A chunk, its id, and its file as a store would hold it. */
    record Chunk(ChunkId id, byte[] data, ChunkFile file) {
        static Chunk of(long seed, int size, Compression compression, DigestAlgorithm digest) throws IOException {
            byte[] data = new byte[size];
            new Random(seed).nextBytes(data);
            return new Chunk(digest.digest(data), data, ChunkCodec.encode(data, 0, size, compression));
        }

        static Chunk of(long seed) throws IOException {
            return of(seed, 10_000 + (int) seed, Compression.ZSTD, DigestAlgorithm.SHA512_256);
        }

        String path() {
            return "/" + id.prefix() + "/" + id.toHex() + (file.compressed() ? ".cacnk" : "");
        }
    }

    private ChunkServer serve(ServerOptions options) throws IOException {
        store = new LocalStore(dir.resolve("store.castr"));
        server = ChunkServer.start(store, LOOPBACK, options);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return send("GET", path, null);
    }

    /** Sends a request line exactly as given (clients may normalise paths) and returns the status. */
    private int rawStatus(String method, String target) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 "), response);
            return Integer.parseInt(response.substring(9, 12));
        }
    }

    private List<Path> storeFiles() throws IOException {
        if (!Files.exists(store.root())) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(store.root())) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void urlAndPort() throws Exception {
        serve(ServerOptions.defaults());
        assertTrue(server.port() > 0);
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.url());
    }

    @Test
    void getServesTheChunkFile() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(1);
        store.put(chunk.id(), chunk.file());
        HttpResponse<byte[]> response = get(chunk.path());
        assertEquals(200, response.statusCode());
        assertArrayEquals(chunk.file().bytes(), response.body());
        assertEquals(
                "application/octet-stream",
                response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(
                chunk.file().bytes().length,
                response.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertArrayEquals(chunk.data(), ChunkCodec.decode(new ChunkFile(response.body(), true), chunk.data().length));
    }

    @Test
    void writableServerFreshensChunksAWriterAsksAboutOrUploadsAgain() throws Exception {
        serve(ServerOptions.defaults().withWritable(null));
        Chunk asked = Chunk.of(31);
        Chunk reuploaded = Chunk.of(32);
        store.put(asked.id(), asked.file());
        store.put(reuploaded.id(), reuploaded.file());
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L);
        java.nio.file.Files.setLastModifiedTime(store.compressedPath(asked.id()), old);
        java.nio.file.Files.setLastModifiedTime(store.compressedPath(reuploaded.id()), old);

        assertEquals(200, send("HEAD", asked.path(), null).statusCode());
        assertEquals(
                200, send("PUT", reuploaded.path(), reuploaded.file().bytes()).statusCode());

        // A prune that started before these requests must not take either chunk: both are younger now.
        assertTrue(java.nio.file.Files.getLastModifiedTime(store.compressedPath(asked.id()))
                        .compareTo(old)
                > 0);
        assertTrue(java.nio.file.Files.getLastModifiedTime(store.compressedPath(reuploaded.id()))
                        .compareTo(old)
                > 0);
    }

    @Test
    void headGivesStatusAndLengthWithoutBody() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(2);
        store.put(chunk.id(), chunk.file());
        HttpResponse<byte[]> response = send("HEAD", chunk.path(), null);
        assertEquals(200, response.statusCode());
        assertEquals(0, response.body().length);
        assertEquals(
                chunk.file().bytes().length,
                response.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertEquals(404, send("HEAD", Chunk.of(3).path(), null).statusCode());
    }

    @Test
    void missingChunkIs404() throws Exception {
        serve(ServerOptions.defaults());
        assertEquals(404, get(Chunk.of(4).path()).statusCode());
    }

    @Test
    void rawChunkIsServedOnlyUnderItsRawName() throws Exception {
        serve(ServerOptions.defaults());
        Chunk raw = Chunk.of(5, 3000, Compression.NONE, DigestAlgorithm.SHA512_256);
        store.put(raw.id(), raw.file());
        HttpResponse<byte[]> response = get(raw.path());
        assertEquals(200, response.statusCode());
        assertArrayEquals(raw.data(), response.body());
        assertEquals(404, get(raw.path() + ".cacnk").statusCode());
    }

    @Test
    void symlinkMarksAMissingChunkAndIsNotFollowed(@TempDir Path outside) throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(6);
        Path secret = Files.write(outside.resolve("secret"), chunk.file().bytes());
        Files.createDirectories(store.compressedPath(chunk.id()).getParent());
        Files.createSymbolicLink(store.compressedPath(chunk.id()), secret);
        assertEquals(404, get(chunk.path()).statusCode());
        assertEquals(404, send("HEAD", chunk.path(), null).statusCode());
    }

    @Test
    void directoryWithAChunkNameIsNotAChunk() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(7);
        Files.createDirectories(store.compressedPath(chunk.id()));
        assertEquals(404, get(chunk.path()).statusCode());
    }

    static Stream<String> badPaths() throws IOException {
        Chunk chunk = Chunk.of(8);
        String id = chunk.id().toHex();
        String prefix = chunk.id().prefix();
        String otherPrefix = prefix.equals("abcd") ? "abce" : "abcd";
        return Stream.of(
                "/../etc/passwd",
                "/abcd/../../x",
                "/" + otherPrefix + "/../" + prefix + "/" + id + ".cacnk",
                "/" + prefix + "/./" + id + ".cacnk",
                "/" + prefix.toUpperCase() + "/" + id.toUpperCase() + ".cacnk",
                "/" + prefix + "/" + id.toUpperCase() + ".cacnk",
                "/ABCD/" + id + ".cacnk",
                "/" + otherPrefix + "/" + id + ".cacnk",
                "/" + prefix + "/" + id + ".CACNK",
                "/" + prefix + "/" + id + ".cacnk/",
                "/" + prefix + "/" + id + ".cacnk?x=1",
                "/" + prefix + "/" + id + "?.cacnk",
                "/" + prefix + "/" + id + ".cacnk#x",
                "/" + prefix + "/" + id + ";x=1.cacnk",
                "/" + prefix + "/" + id + ".cacnk.tmp",
                "/" + prefix + "/" + id + ".123abc.tmp",
                "/" + prefix + "/" + id + ".xz",
                "/" + prefix + "/" + id + "%2ecacnk",
                "/" + prefix + "%2f" + id + ".cacnk",
                "/" + prefix + "/%2e%2e/" + prefix + "/" + id + ".cacnk",
                "/" + prefix + "/" + id.substring(1) + ".cacnk",
                "/" + prefix + "/" + id + "0.cacnk",
                "/" + prefix + "//" + id + ".cacnk",
                "//" + prefix + "/" + id + ".cacnk",
                "/x/" + prefix + "/" + id + ".cacnk",
                "/" + prefix,
                "/" + prefix + "/",
                "/",
                "/store.castr/" + prefix + "/" + id + ".cacnk");
    }

    @ParameterizedTest
    @MethodSource("badPaths")
    void pathThatIsNotExactlyAChunkIs400(String path) throws Exception {
        serve(ServerOptions.defaults().withWritable(null));
        // Present under its proper name, so a lax parser would find and serve it.
        Chunk chunk = Chunk.of(8);
        store.put(chunk.id(), chunk.file());
        Files.write(dir.resolve("x"), chunk.file().bytes());
        assertEquals(400, rawStatus("GET", path), "GET " + path);
        assertEquals(400, rawStatus("HEAD", path), "HEAD " + path);
        assertEquals(400, rawStatus("PUT", path), "PUT " + path);
        assertEquals(200, rawStatus("GET", chunk.path()), "the proper path works");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND"})
    void otherMethodsAre405(String method) throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(9);
        store.put(chunk.id(), chunk.file());
        HttpResponse<byte[]> response = send(method, chunk.path(), null);
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
        assertTrue(store.has(chunk.id()));
    }

    @Test
    void putIsRefusedWhenReadOnly() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(10);
        HttpResponse<byte[]> response = send("PUT", chunk.path(), chunk.file().bytes());
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
        assertFalse(store.has(chunk.id()));
        assertEquals(List.of(), storeFiles());
    }

    @Test
    void putStoresAVerifiedChunk() throws Exception {
        serve(ServerOptions.defaults().withWritable(null));
        Chunk chunk = Chunk.of(11);
        assertEquals(201, send("PUT", chunk.path(), chunk.file().bytes()).statusCode());
        assertArrayEquals(chunk.file().bytes(), Files.readAllBytes(store.compressedPath(chunk.id())));
        assertEquals(List.of(store.compressedPath(chunk.id())), storeFiles(), "no temporary files left");
        assertEquals(200, send("PUT", chunk.path(), chunk.file().bytes()).statusCode(), "already present");
        HttpResponse<byte[]> back = get(chunk.path());
        assertEquals(200, back.statusCode());
        assertArrayEquals(chunk.file().bytes(), back.body());
    }

    @Test
    void putAcceptsEveryFormatAndBothDigests() throws Exception {
        serve(ServerOptions.defaults().withWritable(null));
        List<Chunk> chunks = List.of(
                Chunk.of(12, 5000, Compression.XZ, DigestAlgorithm.SHA512_256),
                Chunk.of(13, 5000, Compression.GZIP, DigestAlgorithm.SHA256),
                Chunk.of(14, 5000, Compression.ZSTD, DigestAlgorithm.SHA256),
                Chunk.of(15, 5000, Compression.NONE, DigestAlgorithm.SHA512_256));
        for (Chunk chunk : chunks) {
            assertEquals(201, send("PUT", chunk.path(), chunk.file().bytes()).statusCode(), chunk.path());
            Path file = chunk.file().compressed() ? store.compressedPath(chunk.id()) : store.rawPath(chunk.id());
            assertArrayEquals(chunk.file().bytes(), Files.readAllBytes(file));
        }
    }

    @Test
    void putNeedsTheToken() throws Exception {
        serve(ServerOptions.defaults().withWritable("s3cret"));
        Chunk chunk = Chunk.of(16);
        HttpResponse<byte[]> none = send("PUT", chunk.path(), chunk.file().bytes());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
        for (String wrong : new String[] {
            "Bearer wrong", "Bearer s3cre", "Bearer s3cret2", "s3cret", "Basic czNjcmV0", "Bearer  s3cret"
        }) {
            assertEquals(
                    401,
                    send("PUT", chunk.path(), chunk.file().bytes(), "Authorization", wrong)
                            .statusCode(),
                    wrong);
        }
        assertFalse(store.has(chunk.id()));
        assertEquals(
                201,
                send("PUT", chunk.path(), chunk.file().bytes(), "Authorization", "Bearer s3cret")
                        .statusCode());
        assertTrue(store.has(chunk.id()));
        assertEquals(200, get(chunk.path()).statusCode(), "reads need no token");
    }

    static Stream<String> corruptions() {
        return Stream.of("garbage", "other-chunk", "truncated", "trailing", "empty", "empty-stream", "raw-mismatch");
    }

    @ParameterizedTest
    @MethodSource("corruptions")
    void corruptUploadIs400AndNotStored(String corruption) throws Exception {
        serve(ServerOptions.defaults().withWritable(null));
        Chunk chunk = Chunk.of(17);
        byte[] good = chunk.file().bytes();
        String path = chunk.path();
        byte[] body = switch (corruption) {
            case "garbage" -> "this is not a zstd frame".getBytes(StandardCharsets.UTF_8);
            case "other-chunk" -> Chunk.of(18).file().bytes();
            case "truncated" -> java.util.Arrays.copyOf(good, good.length - 10);
            case "trailing" -> java.util.Arrays.copyOf(good, good.length + 1);
            case "empty" -> new byte[0];
            case "empty-stream" ->
                ChunkCodec.encode(new byte[0], 0, 0, Compression.ZSTD).bytes();
            case "raw-mismatch" -> {
                path = "/" + chunk.id().prefix() + "/" + chunk.id().toHex();
                yield good; // the compressed file uploaded under the raw name hashes to something else
            }
            default -> throw new IllegalArgumentException(corruption);
        };
        HttpResponse<byte[]> response = send("PUT", path, body);
        assertEquals(400, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        assertFalse(store.has(chunk.id()));
        assertEquals(List.of(), storeFiles());
        assertEquals(404, get(chunk.path()).statusCode());
    }

    @Test
    void oversizedUploadIs413() throws Exception {
        serve(ServerOptions.defaults().withWritable(null).withMaxUploadBytes(1000));
        Chunk chunk = Chunk.of(19, 4000, Compression.NONE, DigestAlgorithm.SHA512_256);
        assertEquals(413, send("PUT", chunk.path(), chunk.file().bytes()).statusCode());
        assertFalse(store.has(chunk.id()));
        Chunk small = Chunk.of(20, 900, Compression.NONE, DigestAlgorithm.SHA512_256);
        assertEquals(201, send("PUT", small.path(), small.file().bytes()).statusCode());
    }

    @Test
    void concurrentGets() throws Exception {
        serve(ServerOptions.defaults().withThreads(8));
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Chunk chunk = Chunk.of(100 + i, 1000 + 3000 * i, Compression.ZSTD, DigestAlgorithm.SHA512_256);
            store.put(chunk.id(), chunk.file());
            chunks.add(chunk);
        }
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (Chunk chunk : chunks) {
                pending.add(HTTP.sendAsync(
                        HttpRequest.newBuilder(server.url().resolve(chunk.path()))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
        }
        for (int i = 0; i < pending.size(); i++) {
            HttpResponse<byte[]> response = pending.get(i).get();
            assertEquals(200, response.statusCode());
            assertArrayEquals(chunks.get(i % chunks.size()).file().bytes(), response.body());
        }
    }

    @Test
    void concurrentPutsOfOneChunk() throws Exception {
        serve(ServerOptions.defaults().withWritable(null).withThreads(8));
        Chunk chunk = Chunk.of(21, 200_000, Compression.ZSTD, DigestAlgorithm.SHA512_256);
        List<CompletableFuture<HttpResponse<byte[]>>> pending = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pending.add(HTTP.sendAsync(
                    HttpRequest.newBuilder(server.url().resolve(chunk.path()))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(
                                    chunk.file().bytes()))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> p : pending) {
            int status = p.get().statusCode();
            assertTrue(status == 200 || status == 201, "status " + status);
        }
        assertEquals(List.of(store.compressedPath(chunk.id())), storeFiles());
        assertArrayEquals(chunk.file().bytes(), Files.readAllBytes(store.compressedPath(chunk.id())));
    }

    @Test
    void closeReleasesThePort() throws Exception {
        serve(ServerOptions.defaults());
        int port = server.port();
        server.close();
        server.awaitClosed();
        server.close(); // idempotent
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    @Test
    void storageErrorsAre500AndReported() throws Exception {
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        serve(ServerOptions.defaults().withWritable(null).withErrors(errors::add));
        // A plain file where the store directory should be: every write fails.
        Files.write(store.root(), new byte[0]);
        Chunk chunk = Chunk.of(22);
        assertEquals(500, send("PUT", chunk.path(), chunk.file().bytes()).statusCode());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(chunk.id().toHex()), errors.get(0));
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ServerOptions(false, "t", 1, 1, m -> {}));
        assertThrows(
                IllegalArgumentException.class, () -> ServerOptions.defaults().withWritable(""));
        assertThrows(
                IllegalArgumentException.class, () -> ServerOptions.defaults().withThreads(0));
        assertFalse(ServerOptions.defaults().withWritable("s3cret").toString().contains("s3cret"));
    }

    @Test
    void refusedUploadsAreAnsweredCleanlyOnAKeptAliveConnection() throws Exception {
        // Large enough that the JDK server would drop the connection on unread input: the client
        // must get the status, not a reset (which desync would retry as a network error).
        serve(ServerOptions.defaults().withWritable("t"));
        Chunk chunk = Chunk.of(23, 3 << 20, Compression.NONE, DigestAlgorithm.SHA512_256);
        for (int i = 0; i < 3; i++) {
            assertEquals(401, send("PUT", chunk.path(), chunk.file().bytes()).statusCode());
            assertEquals(
                    400,
                    send("PUT", chunk.path() + "x", chunk.file().bytes(), "Authorization", "Bearer t")
                            .statusCode());
            assertEquals(405, send("POST", chunk.path(), chunk.file().bytes()).statusCode());
            assertEquals(404, get(chunk.path()).statusCode());
        }
        assertEquals(
                201,
                send("PUT", chunk.path(), chunk.file().bytes(), "Authorization", "Bearer t")
                        .statusCode());
    }

    @Test
    void readOnlyRefusalOfALargeUploadIsClean() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(24, 3 << 20, Compression.NONE, DigestAlgorithm.SHA512_256);
        assertEquals(405, send("PUT", chunk.path(), chunk.file().bytes()).statusCode());
        assertEquals(List.of(), storeFiles());
    }
}
