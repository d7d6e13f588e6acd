package dev.jcasync.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.Compression;
import dev.jcasync.store.PemTls;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.TestCerts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-cert}, {@code --client-cert}/{@code --client-key} and {@code --header} on an
 * {@code s3+https://} store: S3Proxy behind a TLS front (a private CA's certificate, client
 * certificates required) that passes requests through byte for byte, so signatures are checked.
 */
class S3TlsTest {
    private static S3TestServer server;

    @TempDir
    static Path dir;

    private static Path ca;
    private static Path clientCert;
    private static Path clientKey;
    private static FaultProxy front;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
        server.createBucket("secure");
        ca = TestCerts.write(dir, "ca.pem", TestCerts.CA);
        clientCert = TestCerts.write(dir, "client.pem", TestCerts.CLIENT_CERT);
        clientKey = TestCerts.write(dir, "client.key", TestCerts.CLIENT_KEY);
        SSLContext tls = PemTls.context(
                PemTls.keyManagers(
                        PemTls.readCertificates(TestCerts.write(dir, "server.pem", TestCerts.SERVER_CERT)),
                        PemTls.readPrivateKey(TestCerts.write(dir, "server.key", TestCerts.SERVER_KEY))),
                PemTls.trustManager(PemTls.readCertificates(ca), false));
        SSLServerSocket listener = (SSLServerSocket)
                tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        front = new FaultProxy(server.port(), path -> false, listener);
    }

    @AfterAll
    static void stop() {
        front.close();
        server.close();
    }

    private static String location(String prefix) {
        return "s3+https://127.0.0.1:" + front.port() + "/secure/" + prefix;
    }

    private static RemoteOptions options() {
        return RemoteOptions.defaults().withRetries(0).withTimeout(Duration.ofSeconds(20));
    }

    private static S3Store store(String prefix, RemoteOptions options) {
        return new S3Store(S3Location.parse(location(prefix)), options, S3TestServer.credentials());
    }

    @Test
    void aPrivateCaAClientCertificateAndExtraHeadersReachS3() throws IOException {
        byte[] data = new byte[70_000];
        new Random(3).nextBytes(data);
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        ChunkFile file = ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);
        RemoteOptions options = options()
                .withCaCertificate(ca)
                .withClientCertificate(clientCert, clientKey)
                .withHeader("X-Fleet: building-7");
        int before = front.requestHeads().size();
        try (S3Store store = store("tls", options)) {
            store.put(id, file);
            assertArrayEquals(file.bytes(), store.get(id).orElseThrow().bytes());
            assertTrue(store.touch(id));
        }
        var heads = front.requestHeads().subList(before, front.requestHeads().size());
        assertFalse(heads.isEmpty());
        for (String head : heads) {
            assertTrue(head.contains("\r\nX-Fleet: building-7\r\n"), head);
        }
    }

    @Test
    void withoutTheCaTheEndpointIsNotTrusted() {
        RemoteOptions options = options().withClientCertificate(clientCert, clientKey);
        try (S3Store store = store("tls", options)) {
            IOException e = assertThrows(IOException.class, () -> store.has(ChunkId.parse("00".repeat(32))));
            assertTrue(e.getMessage().startsWith("store " + location("tls") + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("certification path"), e.getMessage());
        }
    }

    @Test
    void withoutTheClientCertificateTheEndpointRefusesTheConnection() {
        try (S3Store store = store("tls", options().withCaCertificate(ca))) {
            IOException e = assertThrows(IOException.class, () -> store.has(ChunkId.parse("00".repeat(32))));
            assertTrue(e.getMessage().startsWith("store " + location("tls") + ": "), e.getMessage());
        }
    }

    @Test
    void anUnusableTlsFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("no-such-ca.pem");
        IOException e = assertThrows(
                IOException.class,
                () -> new S3StoreProvider().open(location("tls"), options().withCaCertificate(missing)));
        assertTrue(e.getMessage().contains("no-such-ca.pem"), e.getMessage());
    }
}
