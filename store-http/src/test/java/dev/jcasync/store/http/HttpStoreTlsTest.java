package dev.jcasync.store.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.Compression;
import dev.jcasync.store.PemTls;
import dev.jcasync.store.TestCerts;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS stores: a private CA, mutual TLS, and HTTP/2 negotiation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpStoreTlsTest {
    private static final HttpStoreOptions FAST = HttpStoreOptions.defaults()
            .withRetries(2)
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
            .withTimeout(Duration.ofSeconds(5));

    @TempDir
    Path dir;

    private Path caFile;
    private Path clientCertFile;
    private Path clientKeyFile;
    private final MockWebServer server = new MockWebServer();
    private HttpStore store;

    private final byte[] data = TestData.random(1, 20_000);
    private final ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
    private ChunkFile file;

    @BeforeEach
    void start() throws IOException {
        caFile = TestCerts.write(dir, "ca.pem", TestCerts.CA);
        clientCertFile = TestCerts.write(dir, "client.pem", TestCerts.CLIENT_CERT);
        clientKeyFile = TestCerts.write(dir, "client.key", TestCerts.CLIENT_KEY);
        Path serverCert = TestCerts.write(dir, "server.pem", TestCerts.SERVER_CERT);
        Path serverKey = TestCerts.write(dir, "server.key", TestCerts.SERVER_KEY);
        file = ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);

        SSLContext serverTls = PemTls.context(
                PemTls.keyManagers(PemTls.readCertificates(serverCert), PemTls.readPrivateKey(serverKey)),
                PemTls.trustManager(PemTls.readCertificates(caFile), false));
        server.useHttps(serverTls.getSocketFactory());
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.close();
        }
        server.close();
    }

    private HttpStore store(HttpStoreOptions options) throws IOException {
        store = new HttpStore("https://127.0.0.1:" + server.getPort() + "/st/", options);
        return store;
    }

    private void serveChunk() {
        server.enqueue(new MockResponse.Builder()
                .body(new Buffer().write(file.bytes()))
                .build());
    }

    @Test
    void mutualTlsWithPrivateCaNegotiatesHttp2() throws Exception {
        server.requireClientAuth();
        serveChunk();
        store(FAST.withCaCertificate(caFile, false).withClientCertificate(clientCertFile, clientKeyFile));

        assertArrayEquals(file.bytes(), store.get(id).orElseThrow().bytes());
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("HTTP/2", request.getVersion());
        assertTrue(
                request.getHandshake().peerPrincipal().getName().contains("jcasync test client"),
                String.valueOf(request.getHandshake().peerPrincipal()));
    }

    @Test
    void clientKeyMayShareTheCertificateFile() throws Exception {
        server.requireClientAuth();
        serveChunk();
        Path combined =
                Files.writeString(dir.resolve("client-combined.pem"), TestCerts.CLIENT_KEY + TestCerts.CLIENT_CERT);
        store(FAST.withCaCertificate(caFile, true).withClientCertificate(combined, null));

        assertArrayEquals(file.bytes(), store.get(id).orElseThrow().bytes());
    }

    @Test
    void privateCaCanBeAddedToSystemCas() throws Exception {
        serveChunk();
        store(FAST.withCaCertificate(caFile, true));

        assertArrayEquals(file.bytes(), store.get(id).orElseThrow().bytes());
    }

    @Test
    void untrustedServerFailsAtOnce() throws IOException {
        serveChunk();
        store(FAST); // system CAs only: the test CA is unknown

        IOException e = assertThrows(IOException.class, () -> store.get(id));
        assertEquals(1, store.requests(), "a certificate problem is not retried");
        assertTrue(e.getMessage().startsWith("chunk " + id + ": GET https://127.0.0.1:"), e.getMessage());
        assertTrue(
                e.getMessage().contains("SSLHandshakeException")
                        && e.getMessage().contains("not trusted"),
                e.getMessage());
    }

    @Test
    void serverRequiringClientCertificateRefusesClientWithout() throws IOException {
        server.requireClientAuth();
        serveChunk();
        store(FAST.withCaCertificate(caFile, false));

        assertThrows(IOException.class, () -> store.get(id));
    }

    @Test
    void legacyKeyFormatIsExplained() throws IOException {
        Path legacy = Files.writeString(
                dir.resolve("legacy.key"),
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");
        IOException e =
                assertThrows(IOException.class, () -> store(FAST.withClientCertificate(clientCertFile, legacy)));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    }

    @Test
    void missingCaFileIsReported() {
        Path missing = dir.resolve("nope.pem");
        IOException e = assertThrows(IOException.class, () -> store(FAST.withCaCertificate(missing, false)));
        assertTrue(e.getMessage().contains("nope.pem"), e.getMessage());
    }
}
