package dev.jcasync.store.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.serve.ChunkServer;
import dev.jcasync.serve.ServerOptions;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.Compression;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.PemTls;
import dev.jcasync.store.TestCerts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk server over HTTPS (PEM certificate and key), HTTP/2 negotiated by ALPN. */
class ChunkServerTlsTest {
    @Test
    void servesChunksOverHttpsWithHttp2(@TempDir Path dir) throws Exception {
        Path cert = TestCerts.write(dir, "server.pem", TestCerts.SERVER_CERT);
        Path key = TestCerts.write(dir, "server.key", TestCerts.SERVER_KEY);
        Path ca = TestCerts.write(dir, "ca.pem", TestCerts.CA);
        LocalStore store = new LocalStore(dir.resolve("s.castr"));
        byte[] data = new byte[20_000];
        new Random(1).nextBytes(data);
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        ChunkFile file = ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);
        store.put(id, file);
        try (ChunkServer server = ChunkServer.start(
                store,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ServerOptions.defaults().withTls(cert, key))) {
            assertTrue(
                    server.url().toString().startsWith("https://127.0.0.1:"),
                    server.url().toString());
            SSLContext trust = PemTls.context(null, PemTls.trustManager(PemTls.readCertificates(ca), false));
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(trust)
                    .version(HttpClient.Version.HTTP_2)
                    .build();
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(server.url().resolve(id.prefix() + "/" + id.toHex() + ".cacnk"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, response.version());
            assertArrayEquals(file.bytes(), response.body());
            assertEquals(
                    List.of("public, max-age=31536000, immutable"),
                    response.headers().allValues("cache-control"));
        }
    }
}
