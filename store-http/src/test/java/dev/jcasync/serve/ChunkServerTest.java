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
        return Stream.of(
                "garbage",
                "other-chunk",
                "truncated",
                "trailing",
                "empty",
                "empty-stream",
                "raw-mismatch",
                "cut-short-block");
    }

    /**
     * A zstd frame without a content size (as casync writes them) holding {@code data} in a raw
     * block, then a last RLE block whose byte is missing: a stream decoder that stops at the end of
     * its input has produced exactly {@code data}, but the frame is broken (other decoders refuse it).
     */
    static byte[] cutShortLastBlock(byte[] data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x00, 0x58}); // magic, no size, 2 MiB window
        int raw = data.length << 3; // not last, raw
        out.writeBytes(new byte[] {(byte) raw, (byte) (raw >>> 8), (byte) (raw >>> 16)});
        out.writeBytes(data);
        int rle = (5 << 3) | (1 << 1) | 1; // last, RLE of 5 bytes: the byte to repeat is missing
        out.writeBytes(new byte[] {(byte) rle, (byte) (rle >>> 8), (byte) (rle >>> 16)});
        return out.toByteArray();
    }

    @Test
    void theSameFrameEndingWithItsRawBlockIsAccepted() throws Exception {
        // cutShortLastBlock's frame with its first block marked last instead: whole, so it is stored
        // (which shows the refusal below is about the cut-short block, not the hand-made frame).
        serve(ServerOptions.defaults().withWritable(null));
        Chunk chunk = Chunk.of(17);
        byte[] whole = cutShortLastBlock(chunk.data());
        whole = java.util.Arrays.copyOf(whole, whole.length - 3);
        whole[6] |= 1; // the raw block's header: last
        assertEquals(201, send("PUT", chunk.path(), whole).statusCode());
        assertTrue(store.has(chunk.id()));
        int size = chunk.data().length;
        assertArrayEquals(chunk.data(), ChunkCodec.decode(new ChunkFile(whole, true), size));
        byte[] cutShort = cutShortLastBlock(chunk.data());
        assertThrows(IOException.class, () -> ChunkCodec.decode(new ChunkFile(cutShort, true), size));
        assertThrows(IOException.class, () -> ChunkCodec.decode(new ChunkFile(cutShort, true), -1));
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
            case "cut-short-block" -> cutShortLastBlock(chunk.data());
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

    @Test
    void bearerSchemeIsCaseInsensitiveButTheTokenIsNot() throws Exception {
        serve(ServerOptions.defaults().withWritable("s3cret"));
        Chunk chunk = Chunk.of(25);
        assertEquals(
                401,
                send("PUT", chunk.path(), chunk.file().bytes(), "Authorization", "bearer S3CRET")
                        .statusCode());
        HttpResponse<byte[]> lower = send("PUT", chunk.path(), chunk.file().bytes(), "Authorization", "bearer s3cret");
        assertEquals(
                201,
                lower.statusCode(),
                new String(lower.body(), StandardCharsets.UTF_8)
                        + lower.headers().map());
        assertEquals(
                200,
                send("PUT", chunk.path(), chunk.file().bytes(), "Authorization", "BEARER s3cret")
                        .statusCode());
    }

    @Test
    void chunksAreCacheableWithValidatorsAndConditionalRequests() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(26);
        store.put(chunk.id(), chunk.file());
        HttpResponse<byte[]> first = get(chunk.path());
        assertEquals(200, first.statusCode());
        assertEquals(
                "public, max-age=31536000, immutable",
                first.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("bytes", first.headers().firstValue("Accept-Ranges").orElseThrow());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String modified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);

        HttpResponse<byte[]> byTag = send("GET", chunk.path(), null, "If-None-Match", etag);
        assertEquals(304, byTag.statusCode());
        assertEquals(0, byTag.body().length);
        assertEquals(etag, byTag.headers().firstValue("ETag").orElseThrow());
        assertEquals(
                304,
                send("GET", chunk.path(), null, "If-None-Match", "\"x\", W/" + etag)
                        .statusCode());
        assertEquals(304, send("HEAD", chunk.path(), null, "If-None-Match", "*").statusCode());
        assertEquals(
                200,
                send("GET", chunk.path(), null, "If-None-Match", "\"other\"").statusCode());
        assertEquals(
                304,
                send("GET", chunk.path(), null, "If-Modified-Since", modified).statusCode());
        assertEquals(
                200,
                send("GET", chunk.path(), null, "If-Modified-Since", "Thu, 01 Jan 1998 00:00:00 GMT")
                        .statusCode());
        // If-None-Match decides when both are given.
        assertEquals(
                200,
                send("GET", chunk.path(), null, "If-None-Match", "\"other\"", "If-Modified-Since", modified)
                        .statusCode());
    }

    @Test
    void rangeRequests() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(27, 50_000, Compression.NONE, DigestAlgorithm.SHA512_256);
        store.put(chunk.id(), chunk.file());
        byte[] file = chunk.file().bytes();
        int size = file.length;

        HttpResponse<byte[]> middle = send("GET", chunk.path(), null, "Range", "bytes=100-199");
        assertEquals(206, middle.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(file, 100, 200), middle.body());
        assertEquals(
                "bytes 100-199/" + size,
                middle.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(100, middle.headers().firstValueAsLong("Content-Length").orElseThrow());

        HttpResponse<byte[]> open = send("GET", chunk.path(), null, "Range", "bytes=49000-");
        assertEquals(206, open.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(file, 49_000, size), open.body());

        HttpResponse<byte[]> suffix = send("GET", chunk.path(), null, "Range", "bytes=-10");
        assertEquals(206, suffix.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(file, size - 10, size), suffix.body());
        assertEquals(
                "bytes " + (size - 10) + "-" + (size - 1) + "/" + size,
                suffix.headers().firstValue("Content-Range").orElseThrow());

        HttpResponse<byte[]> beyond = send("GET", chunk.path(), null, "Range", "bytes=" + size + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals(
                "bytes */" + size, beyond.headers().firstValue("Content-Range").orElseThrow());

        // Ignored: several ranges, another unit, nonsense, or an If-Range that no longer holds.
        for (String[] headers : new String[][] {
            {"Range", "bytes=0-1,5-6"},
            {"Range", "lines=0-1"},
            {"Range", "bytes=9-3"},
            {"Range", "bytes=0-1", "If-Range", "\"stale\""},
            {"Range", "bytes=0-1", "If-Range", "Thu, 01 Jan 1998 00:00:00 GMT"}
        }) {
            HttpResponse<byte[]> whole = send("GET", chunk.path(), null, headers);
            assertEquals(200, whole.statusCode(), String.join(" ", headers));
            assertArrayEquals(file, whole.body());
        }
        String etag = get(chunk.path()).headers().firstValue("ETag").orElseThrow();
        assertEquals(
                206,
                send("GET", chunk.path(), null, "Range", "bytes=0-1", "If-Range", etag)
                        .statusCode());

        HttpResponse<byte[]> head = send("HEAD", chunk.path(), null, "Range", "bytes=0-9");
        assertEquals(206, head.statusCode());
        assertEquals(10, head.headers().firstValueAsLong("Content-Length").orElseThrow());
    }

    @Test
    void largeFilesAreServedWholeAndInRanges() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(28, 3 << 20, Compression.NONE, DigestAlgorithm.SHA512_256);
        store.put(chunk.id(), chunk.file());
        assertArrayEquals(chunk.file().bytes(), get(chunk.path()).body());
        HttpResponse<byte[]> tail = send("GET", chunk.path(), null, "Range", "bytes=1048570-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(chunk.file().bytes(), 1048570, 3 << 20), tail.body());
    }

    @Test
    void chunkFilesKeptInMemoryFollowTheFileOnDisk(@TempDir Path outside) throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(41, 54_000, Compression.NONE, DigestAlgorithm.SHA512_256);
        store.put(chunk.id(), chunk.file());
        Path file = store.file(chunk.id(), false);
        byte[] bytes = chunk.file().bytes();
        // The second request keeps the file (HotChunks); the later ones are answered from memory.
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(bytes, get(chunk.path()).body(), "request " + i);
        }
        HttpResponse<byte[]> range = send("GET", chunk.path(), null, "Range", "bytes=53990-");
        assertEquals(206, range.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 53_990, bytes.length), range.body());
        String etag = get(chunk.path()).headers().firstValue("ETag").orElseThrow();
        assertEquals(304, send("GET", chunk.path(), null, "If-None-Match", etag).statusCode());
        HttpResponse<byte[]> head = send("HEAD", chunk.path(), null);
        assertEquals(200, head.statusCode());
        assertEquals(
                bytes.length, head.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertEquals(0, head.body().length);

        // Rewritten in place (a repair, or damage): the new bytes, not the kept ones.
        byte[] damaged = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        Files.write(file, damaged);
        assertArrayEquals(damaged, get(chunk.path()).body());
        assertArrayEquals(damaged, get(chunk.path()).body());
        // Replaced by another file of the same size (another inode): that file.
        byte[] other = bytes.clone();
        other[0] ^= 1;
        Path temp = file.resolveSibling("replacement.tmp");
        Files.write(temp, other);
        Files.setLastModifiedTime(temp, Files.getLastModifiedTime(file));
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertArrayEquals(other, get(chunk.path()).body());
        // Pruned: gone at once; then a symlink (casync's known-missing mark): still not served.
        Files.delete(file);
        assertEquals(404, get(chunk.path()).statusCode());
        Files.write(outside.resolve("elsewhere"), bytes);
        Files.createSymbolicLink(file, outside.resolve("elsewhere"));
        assertEquals(404, get(chunk.path()).statusCode());
    }

    @Test
    void http2CleartextByPriorKnowledge() throws Exception {
        serve(ServerOptions.defaults());
        Chunk chunk = Chunk.of(29);
        store.put(chunk.id(), chunk.file());
        HttpClient h2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The JDK client asks for h2c with Upgrade on its first request, then keeps HTTP/2.
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> response = h2.send(
                    HttpRequest.newBuilder(server.url().resolve(chunk.path())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(chunk.file().bytes(), response.body());
            if (i > 0) {
                assertEquals(HttpClient.Version.HTTP_2, response.version());
            }
        }
    }

    @Test
    void zstdBombIsRefusedAtTheChunkLimitWithoutStoringAnything() throws Exception {
        serve(ServerOptions.defaults().withWritable(null).withMaxChunkBytes(1 << 20));
        // 256 MiB of zeros in a few KiB: decoding must stop just past 1 MiB.
        byte[] zeros = new byte[8 << 20];
        java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
        try (com.github.luben.zstd.ZstdOutputStream z = new com.github.luben.zstd.ZstdOutputStream(bomb, 19)) {
            for (int i = 0; i < 32; i++) {
                z.write(zeros);
            }
        }
        ChunkId claimed = DigestAlgorithm.SHA512_256.digest(zeros);
        String path = "/" + claimed.prefix() + "/" + claimed.toHex() + ".cacnk";
        long start = System.nanoTime();
        HttpResponse<byte[]> response = send("PUT", path, bomb.toByteArray());
        long millis = (System.nanoTime() - start) / 1_000_000;
        String message = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(400, response.statusCode(), message);
        assertTrue(message.contains("exceeds " + (1 << 20)), message);
        assertTrue(millis < 5_000, millis + " ms");
        assertEquals(List.of(), storeFiles());
    }

    @Test
    void uploadsInEveryFormatAreCheckedWhileStreaming() throws Exception {
        serve(ServerOptions.defaults().withWritable(null).withMaxChunkBytes(100_000));
        for (Compression compression : Compression.values()) {
            Chunk fits = Chunk.of(40 + compression.ordinal(), 100_000, compression, DigestAlgorithm.SHA256);
            HttpResponse<byte[]> stored = send("PUT", fits.path(), fits.file().bytes());
            assertEquals(
                    201, stored.statusCode(), compression + ": " + new String(stored.body(), StandardCharsets.UTF_8));
            Chunk big = Chunk.of(50 + compression.ordinal(), 100_001, compression, DigestAlgorithm.SHA256);
            HttpResponse<byte[]> refused = send("PUT", big.path(), big.file().bytes());
            assertEquals(400, refused.statusCode(), compression.toString());
            assertFalse(store.has(big.id()), compression.toString());
            if (compression != Compression.NONE) {
                byte[] trailing =
                        java.util.Arrays.copyOf(fits.file().bytes(), fits.file().bytes().length + 3);
                Chunk other = Chunk.of(60 + compression.ordinal(), 1000, compression, DigestAlgorithm.SHA256);
                byte[] withJunk = java.util.Arrays.copyOf(
                        other.file().bytes(), other.file().bytes().length + 3);
                assertEquals(400, send("PUT", other.path(), withJunk).statusCode(), compression + " trailing");
                assertFalse(store.has(other.id()));
                assertEquals(400, send("PUT", fits.path() + "", trailing).statusCode(), compression + " trailing");
            }
        }
    }

    @Test
    void highlyCompressibleChunksInEveryFormat() throws Exception {
        serve(ServerOptions.defaults().withWritable(null));
        byte[] text = "a line of text that repeats\n".repeat(9000).getBytes(StandardCharsets.UTF_8);
        for (byte[] data :
                new byte[][] {new byte[256 << 10], new byte[1], text, java.util.Arrays.copyOf(text, 65536)}) {
            for (Compression compression : Compression.values()) {
                ChunkFile file = ChunkCodec.encode(data, 0, data.length, compression);
                ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
                String path = "/" + id.prefix() + "/" + id.toHex() + (file.compressed() ? ".cacnk" : "");
                HttpResponse<byte[]> response = send("PUT", path, file.bytes());
                // 201 for the first format, 200 (already stored) for the others: the same chunk.
                assertEquals(
                        compression == Compression.values()[0] ? 201 : 200,
                        response.statusCode(),
                        compression + " " + data.length + ": " + new String(response.body(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void indexFilesAreServedAndUploadedAtomically() throws Exception {
        serve(ServerOptions.defaults().withWritable("t"));
        byte[] index = new byte[120];
        java.nio.ByteBuffer.wrap(index)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(48)
                .putLong(0x96824D9C7B129FF9L);
        for (int i = 16; i < index.length; i++) {
            index[i] = (byte) i;
        }
        assertEquals(404, get("/image.caibx").statusCode());
        assertEquals(401, send("PUT", "/image.caibx", index).statusCode());
        assertEquals(
                201,
                send("PUT", "/image.caibx", index, "Authorization", "Bearer t").statusCode());
        HttpResponse<byte[]> back = get("/image.caibx");
        assertEquals(200, back.statusCode());
        assertArrayEquals(index, back.body());
        assertEquals("no-cache", back.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals(
                200,
                send("PUT", "/image.caibx", index, "Authorization", "Bearer t").statusCode(),
                "replaced");
        assertEquals(
                400,
                send("PUT", "/junk.caidx", new byte[100], "Authorization", "Bearer t")
                        .statusCode(),
                "not an index");
        for (String bad : new String[] {"/.hidden.caibx", "/a/b.caibx", "/%2e%2e.caibx", "/x.caibx.tmp", "/x.CAIBX"}) {
            assertEquals(400, rawStatus("GET", bad), bad);
            assertEquals(400, rawStatus("PUT", bad), bad);
        }
        try (Stream<Path> files = Files.list(store.root())) {
            assertEquals(
                    List.of("image.caibx"),
                    files.map(p -> p.getFileName().toString()).toList(),
                    "no temporary files");
        }
    }

    @Test
    void slowHeaderClientsHoldNoThreadAndAreDroppedAtTheHeaderTimeout() throws Exception {
        serve(ServerOptions.defaults().withThreads(2).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
        Chunk chunk = Chunk.of(30);
        store.put(chunk.id(), chunk.file());
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                socket.getOutputStream().write("GET /".getBytes(StandardCharsets.ISO_8859_1));
                slow.add(socket);
            }
            long started = System.nanoTime();
            for (int round = 0; round < 12; round++) {
                for (Socket socket : slow) {
                    try {
                        socket.getOutputStream().write('a'); // one more header byte
                    } catch (IOException e) {
                        // the server has closed it
                    }
                }
                long t = System.nanoTime();
                HttpResponse<byte[]> response = get(chunk.path());
                long millis = (System.nanoTime() - t) / 1_000_000;
                assertEquals(200, response.statusCode());
                assertTrue(millis < 1000, "a normal GET took " + millis + " ms beside 64 slow clients");
                Thread.sleep(250);
            }
            // 3 s in: every slow connection has been closed by the server (header timeout 2 s).
            assertTrue(System.nanoTime() - started > 2_500_000_000L);
            for (Socket socket : slow) {
                socket.setSoTimeout(5_000);
                try {
                    assertEquals(-1, socket.getInputStream().read(), "closed by the server");
                } catch (java.net.SocketException reset) {
                    // closed by the server, and reset by our later writes: closed all the same
                }
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }
}
