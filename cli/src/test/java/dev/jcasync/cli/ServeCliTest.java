package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.serve.ChunkServer;
import dev.jcasync.serve.ServerOptions;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.LocalStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code jcasync serve} as casync sees it: the real casync extracts through it over HTTP. */
class ServeCliTest {
    private static final Pattern SERVING = Pattern.compile("serving (.+) at (http://127\\.0\\.0\\.1:(\\d+)/)");

    /** A {@code jcasync serve} process, stopped (SIGTERM) on close. */
    private record Server(Process process, String storePath, URI url) implements AutoCloseable {
        static Server start(Object... args) throws IOException {
            Process p = Cli.start(
                    null, Stream.concat(Stream.of("serve"), Stream.of(args)).toArray());
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) {
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                p.destroyForcibly();
                fail("jcasync serve printed nothing; stderr: " + err);
            }
            Matcher m = SERVING.matcher(line);
            if (!m.matches()) {
                p.destroyForcibly();
                fail("unexpected first line from jcasync serve: " + line);
            }
            return new Server(p, m.group(1), URI.create(m.group(2)));
        }

        int port() {
            return url.getPort();
        }

        @Override
        public void close() {
            process.destroy();
            if (!Cli.waitFor(process, 30)) {
                process.destroyForcibly();
                fail("jcasync serve did not stop on SIGTERM");
            }
        }
    }

    @Test
    void casyncExtractsAJcasyncStoreThroughServe(@TempDir Path dir) throws Exception {
        Casync.binary();
        byte[] data = TestData.mixed(31, 3 << 20);
        Path input = TestData.write(dir, "input.bin", data);
        Path store = dir.resolve("store.castr");
        Path index = dir.resolve("blob.caibx");
        Cli.run("make", "--store=" + store, index, input).assertOk();

        try (Server server = Server.start("--store=" + store)) {
            assertEquals(store.toAbsolutePath().toString(), server.storePath());
            Path out = dir.resolve("extracted");
            Casync.run("extract", "--store=" + server.url(), index, out);
            assertArrayEquals(data, Files.readAllBytes(out));
        }
    }

    @ParameterizedTest(name = "--digest={0} --compression={1}")
    @CsvSource({"sha512-256, zstd", "sha256, xz", "sha512-256, gzip"})
    void casyncExtractsACasyncStoreThroughServe(String digest, String compression, @TempDir Path dir) throws Exception {
        Casync.binary();
        byte[] data = TestData.mixed(32, 2 << 20);
        Path input = TestData.write(dir, "input.bin", data);
        Path store = dir.resolve("casync.castr");
        Path index = dir.resolve("blob.caibx");
        Casync.run("make", "--store=" + store, "--digest=" + digest, "--compression=" + compression, index, input);

        try (Server server = Server.start("--store=" + store, "--listen=127.0.0.1:0", "--threads=2")) {
            Path out = dir.resolve("extracted");
            Casync.run("extract", "--store=" + server.url(), index, out);
            assertArrayEquals(data, Files.readAllBytes(out));
        }
    }

    @Test
    void casyncExtractsThroughTheLibraryServer(@TempDir Path dir) throws Exception {
        Casync.binary();
        byte[] data = TestData.random(33, 1 << 20);
        Path input = TestData.write(dir, "input.bin", data);
        Path store = dir.resolve("store.castr");
        Path index = dir.resolve("blob.caibx");
        Cli.run("make", "--store=" + store, index, input).assertOk();

        try (ChunkServer server = ChunkServer.start(
                new LocalStore(store),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults())) {
            Path out = dir.resolve("extracted");
            // A query on the store URL is dropped by casync before it builds chunk URLs.
            Casync.run("extract", "--store=" + server.url() + "?x=1", index, out);
            assertArrayEquals(data, Files.readAllBytes(out));
        }
    }

    @Test
    void uploadsThroughAWritableServeAreServedToCasync(@TempDir Path dir) throws Exception {
        Casync.binary();
        byte[] data = TestData.mixed(34, 2 << 20);
        Path input = TestData.write(dir, "input.bin", data);
        Path source = dir.resolve("source.castr");
        Path index = dir.resolve("blob.caibx");
        Cli.run("make", "--store=" + source, index, input).assertOk();
        Path target = dir.resolve("uploaded.castr");

        try (Server server = Server.start("--store=" + target, "--writable", "--token=t0ken")) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(source)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                String relative = source.relativize(file).toString();
                HttpRequest.Builder put = HttpRequest.newBuilder(server.url().resolve(relative))
                        .PUT(HttpRequest.BodyPublishers.ofFile(file));
                assertEquals(
                        401,
                        http.send(put.build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode());
                put.header("Authorization", "Bearer t0ken");
                assertEquals(
                        201,
                        http.send(put.build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode(),
                        relative);
            }
            assertEquals(
                    StoreAudit.audit(source, DigestAlgorithm.SHA512_256),
                    StoreAudit.audit(target, DigestAlgorithm.SHA512_256));

            Path out = dir.resolve("extracted");
            Casync.run("extract", "--store=" + server.url(), index, out);
            assertArrayEquals(data, Files.readAllBytes(out));
        }
    }

    @Test
    void sigtermStopsTheServerAndFreesThePort(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectory(dir.resolve("empty.castr"));
        Server server = Server.start("--store=" + store);
        String missing = "0000/" + ChunkId.of(new byte[ChunkId.LENGTH]).toHex() + ".cacnk";
        HttpResponse<Void> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.url().resolve(missing)).build(),
                        HttpResponse.BodyHandlers.discarding());
        assertEquals(404, response.statusCode());
        server.close();
        assertEquals(128 + 15, server.process().exitValue(), "the JVM's status after SIGTERM");
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), server.port()).close());
    }

    @Test
    void badArgumentsFailWithOneLine(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectory(dir.resolve("s.castr"));
        assertFails(1, "serve needs a local store directory", "serve", "--store=http://127.0.0.1:1/");
        assertFails(1, "no such directory", "serve", "--store=" + dir.resolve("missing.castr"));
        assertFails(
                1,
                "no such directory",
                "serve",
                "--store=" + store,
                "--store=" + dir.resolve("missing.castr")); // the last wins
        // Usage errors: exit 2, before anything starts.
        assertFails(2, "--token guards uploads", "serve", "--store=" + store, "--token=x");
        assertFails(2, "--listen=nonsense: expected HOST:PORT", "serve", "--store=" + store, "--listen=nonsense");
        assertFails(2, "--listen=127.0.0.1:70000", "serve", "--store=" + store, "--listen=127.0.0.1:70000");
        assertFails(2, "--threads=0: expected at least 1", "serve", "--store=" + store, "--threads=0");
        assertFails(
                2,
                "--writable on a non-loopback address needs --token",
                "serve",
                "--store=" + store,
                "--writable",
                "--listen=0.0.0.0:0");
    }

    @Test
    void listenAddressForms() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), ServeCommand.parseListen("8080"));
        assertEquals(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), ServeCommand.parseListen("127.0.0.1:0"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9), ServeCommand.parseListen("[::1]:9"));
    }

    @Test
    void accessLogHasALinePerRequest(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectory(dir.resolve("logged.castr"));
        Path log = dir.resolve("access.log");
        String missing = "0000/" + ChunkId.of(new byte[ChunkId.LENGTH]).toHex() + ".cacnk";
        try (Server server = Server.start("--store=" + store, "--access-log=" + log)) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) {
                assertEquals(
                        404,
                        http.send(
                                        HttpRequest.newBuilder(server.url().resolve(missing))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode());
            }
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("\"GET /" + missing + " HTTP/1.1\" 404 "), lines.get(0));
        assertTrue(lines.get(0).startsWith("127.0.0.1 "), lines.get(0));
    }

    @Test
    void concurrentLargeUploadsKeepTheServerProcessSmall(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectory(dir.resolve("up.castr"));
        int uploads = 8;
        int mib = 64;
        try (Server server = Server.start("--store=" + store, "--writable")) {
            long pid = server.process().pid();
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String missing = "0000/" + ChunkId.of(new byte[ChunkId.LENGTH]).toHex();
            assertEquals(
                    404,
                    http.send(
                                    HttpRequest.newBuilder(server.url().resolve(missing))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode());
            long before = procStatusKiB(pid, "VmRSS");
            byte[] block = TestData.random(35, 1 << 20);
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> pending = new java.util.ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                // 64 MiB raw chunk files that are not the chunk they claim to be: received, hashed, refused.
                HttpRequest put = HttpRequest.newBuilder(server.url().resolve(missing))
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> repeat(block, mib)), (long) mib << 20))
                        .build();
                pending.add(http.sendAsync(put, HttpResponse.BodyHandlers.ofString()));
            }
            for (java.util.concurrent.CompletableFuture<HttpResponse<String>> p : pending) {
                HttpResponse<String> response = p.get(120, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(400, response.statusCode(), response.body());
                assertTrue(response.body().contains("does not hash to"), response.body());
            }
            long peak = procStatusKiB(pid, "VmHWM");
            // Held whole, the bodies alone would take 512 MiB; streamed, a few buffers each.
            assertTrue(
                    peak - before < 200 << 10,
                    "server RSS rose from " + (before >> 10) + " MiB to a peak of " + (peak >> 10) + " MiB");
            try (Stream<Path> files = Files.walk(store)) {
                assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing stored, no temporary files");
            }
        }
    }

    @Test
    void concurrentOversizedUploadsAreRefusedAndKeepTheServerProcessSmall(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectory(dir.resolve("up.castr"));
        int mib = (int) (ChunkCodec.MAX_FILE_BYTES >> 20) + 8; // over the upload limit
        try (Server server = Server.start("--store=" + store, "--writable")) {
            long pid = server.process().pid();
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String missing = "0000/" + ChunkId.of(new byte[ChunkId.LENGTH]).toHex();
            URI url = server.url().resolve(missing);
            assertEquals(
                    404,
                    http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode());
            long before = procStatusKiB(pid, "VmRSS");
            byte[] block = TestData.random(36, 1 << 20);
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> declared = new java.util.ArrayList<>();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> chunked = new java.util.ArrayList<>();
            for (int i = 0; i < 7; i++) {
                // Some say how large they are (refused before a byte is read); the others are
                // chunked and only found too large once the limit has been read.
                boolean sized = i % 2 == 0;
                HttpRequest.BodyPublisher body = sized
                        ? HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> repeat(block, mib)), (long) mib << 20)
                        : HttpRequest.BodyPublishers.ofInputStream(() -> repeat(block, mib));
                (sized ? declared : chunked)
                        .add(http.sendAsync(
                                HttpRequest.newBuilder(url).PUT(body).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var p : declared) {
                assertRefused(p, 413);
            }
            for (var p : chunked) {
                // A raw chunk file is its data: the data limit (400) comes before the file limit (413).
                assertRefused(p, 400);
            }
            long peak = procStatusKiB(pid, "VmHWM");
            assertTrue(
                    peak - before < 200 << 10,
                    "server RSS rose from " + (before >> 10) + " MiB to a peak of " + (peak >> 10) + " MiB");
            try (Stream<Path> files = Files.walk(store)) {
                assertEquals(0, files.filter(Files::isRegularFile).count(), "nothing stored, no temporary files");
            }
            // And it still answers.
            assertEquals(
                    404,
                    http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode());
        }
    }

    /** The answer is {@code status}, or a reset: the server answered and closed while the client still sent. */
    private static void assertRefused(java.util.concurrent.CompletableFuture<HttpResponse<String>> pending, int status)
            throws Exception {
        try {
            HttpResponse<String> response = pending.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(status, response.statusCode(), response.body());
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof IOException, e.toString());
        }
    }

    private static java.io.InputStream repeat(byte[] block, int times) {
        return new java.io.SequenceInputStream(
                java.util.Collections.enumeration(java.util.Collections.nCopies(times, block).stream()
                        .map(b -> (java.io.InputStream) new java.io.ByteArrayInputStream(b))
                        .toList()));
    }

    private static long procStatusKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }

    private static void assertFails(int exitCode, String message, Object... args) {
        Cli.Run run = Cli.run(args);
        assertEquals(exitCode, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("jcasync: ") && run.err().contains(message), run.err());
        assertEquals("", run.out(), "nothing on stdout");
    }
}
