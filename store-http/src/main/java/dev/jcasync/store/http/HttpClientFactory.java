package dev.jcasync.store.http;

import dev.jcasync.store.PemTls;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** Builds the OkHttpClient an {@link HttpTransport} uses, from {@link HttpStoreOptions}. */
final class HttpClientFactory {
    /** How long an idle connection is kept for reuse. */
    private static final long KEEP_ALIVE_MINUTES = 5;

    private HttpClientFactory() {}

    static OkHttpClient create(HttpStoreOptions options) throws IOException {
        int parallel = options.maxConcurrentRequests();
        // Requests are synchronous, bounded by the transport's semaphore. The pool keeps one idle
        // connection per possible parallel request so that a burst of fetches reuses connections
        // instead of reconnecting (HTTP/1.1); over TLS okhttp negotiates HTTP/2 and multiplexes anyway.
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(parallel, KEEP_ALIVE_MINUTES, TimeUnit.MINUTES))
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                .callTimeout(options.callTimeout())
                .followRedirects(true);
        configureTls(builder, options);
        return builder.build();
    }

    private static void configureTls(OkHttpClient.Builder builder, HttpStoreOptions options) throws IOException {
        if (options.caCertificate() == null && options.clientCertificate() == null) {
            return; // okhttp's defaults: the system CAs, no client certificate
        }
        X509TrustManager trust = options.caCertificate() == null
                ? PemTls.systemTrustManager()
                : PemTls.trustManager(PemTls.readCertificates(options.caCertificate()), options.trustSystemCas());
        KeyManager[] keys = null;
        if (options.clientCertificate() != null) {
            List<X509Certificate> chain = PemTls.readCertificates(options.clientCertificate());
            PrivateKey key = PemTls.readPrivateKey(
                    options.clientKey() != null ? options.clientKey() : options.clientCertificate());
            keys = PemTls.keyManagers(chain, key);
        }
        SSLContext context = PemTls.context(keys, trust);
        builder.sslSocketFactory(context.getSocketFactory(), trust);
    }
}
