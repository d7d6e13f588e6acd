package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.s3.FaultProxy;
import dev.jcasync.store.s3.S3TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code jcasync serve --store=s3+http://... --cache=DIR} against a real S3 server (S3Proxy), with
 * a counting proxy between them: plain HTTP clients (casync, jcasync) read an S3 store through it.
 */
class ServeS3CliTest {
    private static final Pattern SERVING = Pattern.compile("serving (.+) at (http://127\\.0\\.0\\.1:\\d+/)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static S3TestServer s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3TestServer.start();
        s3.createBucket("fleet");
        S3TestServer.useTestCredentials();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    /** A {@code jcasync serve} process (credentials in its environment), stopped on close. */
    private record Serve(Process process, URI url, CompletableFuture<String> stderr) implements AutoCloseable {
        static Serve start(Object... args) throws IOException {
            Process p = Cli.start(
                    Map.of(
                            "AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY,
                            "AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY,
                            "AWS_EC2_METADATA_DISABLED", "true"),
                    null,
                    Stream.concat(Stream.of("serve"), Stream.of(args)).toArray());
            String line =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher m = SERVING.matcher(String.valueOf(line));
            if (!m.matches()) {
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                p.destroyForcibly();
                fail("jcasync serve printed " + line + "; stderr: " + err);
            }
            // Read as it comes: the pipe's buffer is gone once the process has ended.
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(stderr unreadable: " + e + ")";
                }
            });
            return new Serve(p, URI.create(m.group(2)), stderr);
        }

        /** Stops the server; returns what it wrote to stderr. */
        String stop() {
            process.destroy();
            if (!Cli.waitFor(process, 30)) {
                process.destroyForcibly();
                fail("jcasync serve did not stop on SIGTERM");
            }
            return stderr.join();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                stop();
            }
        }
    }

    private static Set<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void casyncAndJcasyncExtractAnS3StoreThroughServeAndEachChunkLeavesS3Once() throws Exception {
        Casync.binary();
        byte[] image = TestData.mixed(61, 4 << 20);
        String prefix = "serve/store.castr";
        Path index = dir.resolve("v1.caibx");
        Cli.run("make", "--store=" + s3.location("fleet", prefix), index, TestData.write(dir, "v1.img", image))
                .assertOk();
        Set<String> chunkNames = Inspect.ids(index).stream()
                .map(id -> ChunkLayout.path(id, true))
                .collect(Collectors.toSet());

        Path cache = dir.resolve("cache.castr");
        try (FaultProxy counting = new FaultProxy(s3.port(), path -> false);
                Serve serve = Serve.start(
                        "--store=s3+http://127.0.0.1:" + counting.port() + "/fleet/" + prefix, "--cache=" + cache)) {
            // Four clients at once, two casync and two jcasync, all through the one server.
            List<CompletableFuture<Path>> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path out = dir.resolve("out" + i + ".img");
                boolean casync = i % 2 == 0;
                clients.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        if (casync) {
                            Casync.run("extract", "--store=" + serve.url(), index, out);
                        } else {
                            Cli.run("extract", "--store=" + serve.url(), index, out)
                                    .assertOk();
                        }
                        return out;
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<Path> client : clients) {
                assertArrayEquals(image, Files.readAllBytes(client.get()), "byte for byte: " + client.get());
            }
            // Every chunk that left S3 did so once, and is now in the cache, in the store layout.
            Map<String, AtomicInteger> delivered = counting.delivered();
            assertFalse(delivered.isEmpty());
            for (Map.Entry<String, AtomicInteger> e : delivered.entrySet()) {
                assertEquals(1, e.getValue().get(), "fetched from S3 once: " + e.getKey());
            }
            Set<String> fetched = delivered.keySet().stream()
                    .map(p -> p.substring(("/fleet/" + prefix + "/").length()))
                    .collect(Collectors.toSet());
            assertTrue(chunkNames.containsAll(fetched), "only chunks of the index");
            assertEquals(fetched, filesUnder(cache));

            // A second round is served from the cache alone.
            Path again = dir.resolve("again.img");
            Casync.run("extract", "--store=" + serve.url(), index, again);
            assertArrayEquals(image, Files.readAllBytes(again));
            assertEquals("", counting.takeCounts().replaceAll("GET=\\d+", "").trim(), "no other requests");
            for (AtomicInteger n : delivered.values()) {
                assertEquals(1, n.get());
            }
            assertEquals("", serve.stop(), "nothing logged");
        }
    }

    @Test
    void aCorruptedS3ObjectIsNeverCachedOrServed() throws Exception {
        byte[] image = TestData.random(62, 300_000);
        String prefix = "corrupt/store.castr";
        Path index = dir.resolve("v1.caibx");
        Cli.run("make", "--store=" + s3.location("fleet", prefix), index, TestData.write(dir, "v1.img", image))
                .assertOk();
        ChunkId victim = Inspect.ids(index).iterator().next();
        String key = prefix + "/" + ChunkLayout.path(victim, true);
        try (S3Client client = s3.client()) {
            byte[] bytes = client.getObject(b -> b.bucket("fleet").key(key), ResponseTransformer.toBytes())
                    .asByteArray();
            bytes[bytes.length / 2] ^= 0x01;
            client.putObject(b -> b.bucket("fleet").key(key), RequestBody.fromBytes(bytes));
        }
        Path cache = dir.resolve("cache.castr");
        try (Serve serve = Serve.start("--store=" + s3.location("fleet", prefix), "--cache=" + cache, "--retries=1")) {
            HttpResponse<byte[]> answer = HTTP.send(
                    HttpRequest.newBuilder(serve.url().resolve(ChunkLayout.path(victim, true)))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(502, answer.statusCode());
            Cli.Run extract = Cli.run("extract", "--retries=0", "--store=" + serve.url(), index, dir.resolve("o.img"));
            assertEquals(1, extract.exitCode(), extract.err());
            assertFalse(Files.exists(dir.resolve("o.img")), "no output from a failed extract");
            Set<String> cached = filesUnder(cache);
            assertFalse(cached.contains(ChunkLayout.path(victim, true)), "never cached: " + cached);
            String log = serve.stop();
            assertTrue(log.lines().allMatch(l -> l.startsWith("jcasync serve: chunk " + victim)), log);
            assertTrue(log.contains("corrupt"), log);
        }
    }

    @Test
    void serveNeedsACacheForAStoreThatIsNotADirectory() {
        Cli.Run run = Cli.run("serve", "--store=" + s3.location("fleet", "x"));
        assertEquals(1, run.exitCode());
        assertEquals(
                List.of("jcasync: store " + s3.location("fleet", "x")
                        + ": serve needs a local store directory (or --cache=DIR to serve it through)"),
                run.errLines());
        Cli.Run writable = Cli.run("serve", "--store=" + s3.location("fleet", "x"), "--cache=" + dir, "--writable");
        assertEquals(2, writable.exitCode());
        assertTrue(writable.err().contains("--cache serves a read-only copy"), writable.err());
    }
}
