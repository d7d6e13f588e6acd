package dev.jcasync.store.http;

import dev.jcasync.store.RemoteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link HttpStore} talks to its server: the backend-neutral {@link RemoteOptions} and the
 * HTTP-only settings. Immutable; start from {@link #defaults()} or {@link #from(RemoteOptions)}
 * and change fields with the {@code with…} methods.
 *
 * @param retries how many times a failed request is repeated (so {@code retries + 1} attempts);
 *     also how many times a chunk that fails verification is fetched again
 * @param backoff base delay before the first retry; it doubles per retry, with full jitter
 * @param maxBackoff upper bound of one delay (also caps a server's {@code Retry-After})
 * @param connectTimeout limit for establishing a connection (TCP and TLS)
 * @param readTimeout limit for one read or write on a connection to make progress
 * @param callTimeout limit for a whole request including its body; {@link Duration#ZERO} = none
 * @param headers extra request headers as {@code "Name: value"} lines (for example {@code Authorization})
 * @param caCertificate PEM file with CA certificates to trust, or null for the system CAs only
 * @param trustSystemCas with a {@code caCertificate}: whether the system CAs stay trusted too
 * @param clientCertificate PEM certificate chain presented for mutual TLS, or null for none
 * @param clientKey PEM PKCS#8 private key of {@code clientCertificate}; null if the key is in the
 *     certificate file
 * @param maxConcurrentRequests how many requests may be in flight at once (and idle connections kept)
 */
public record HttpStoreOptions(
        int retries,
        Duration backoff,
        Duration maxBackoff,
        Duration connectTimeout,
        Duration readTimeout,
        Duration callTimeout,
        List<String> headers,
        Path caCertificate,
        boolean trustSystemCas,
        Path clientCertificate,
        Path clientKey,
        int maxConcurrentRequests) {

    public HttpStoreOptions {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        requireNonNegative("backoff", backoff);
        requireNonNegative("maxBackoff", maxBackoff);
        requireNonNegative("connectTimeout", connectTimeout);
        requireNonNegative("readTimeout", readTimeout);
        requireNonNegative("callTimeout", callTimeout);
        headers = List.copyOf(headers);
        for (String header : headers) {
            RemoteOptions.checkHeader(header);
        }
        if (clientKey != null && clientCertificate == null) {
            throw new IllegalArgumentException("a client key needs a client certificate");
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be >= 1, got " + maxConcurrentRequests);
        }
    }

    /**
     * {@link RemoteOptions#defaults()} (5 retries, 30 s timeouts, system CAs), retries from 200 ms
     * up to 10 s apart, 16 parallel requests.
     */
    public static HttpStoreOptions defaults() {
        return from(RemoteOptions.defaults());
    }

    /** The HTTP settings for {@code remote}: its retries, timeouts, headers and TLS files; the rest as in {@link #defaults()}. */
    public static HttpStoreOptions from(RemoteOptions remote) {
        return new HttpStoreOptions(
                remote.retries(),
                Duration.ofMillis(200),
                Duration.ofSeconds(10),
                remote.timeout(),
                remote.timeout(),
                Duration.ZERO,
                remote.headers(),
                remote.caCertificate(),
                true,
                remote.clientCertificate(),
                remote.clientKey(),
                16);
    }

    public HttpStoreOptions withRetries(int retries) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                clientCertificate,
                clientKey,
                maxConcurrentRequests);
    }

    public HttpStoreOptions withBackoff(Duration backoff, Duration maxBackoff) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                clientCertificate,
                clientKey,
                maxConcurrentRequests);
    }

    /** Sets the connect and the read timeout. */
    public HttpStoreOptions withTimeout(Duration timeout) {
        return withTimeouts(timeout, timeout, callTimeout);
    }

    public HttpStoreOptions withTimeouts(Duration connectTimeout, Duration readTimeout, Duration callTimeout) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                clientCertificate,
                clientKey,
                maxConcurrentRequests);
    }

    /** Replaces the extra headers. */
    public HttpStoreOptions withHeaders(List<String> headers) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                clientCertificate,
                clientKey,
                maxConcurrentRequests);
    }

    /** Adds one {@code "Name: value"} header. */
    public HttpStoreOptions withHeader(String header) {
        List<String> all = new ArrayList<>(headers);
        all.add(header);
        return withHeaders(all);
    }

    /** Trusts the CAs in a PEM file, besides the system CAs or ({@code trustSystemCas=false}) instead of them. */
    public HttpStoreOptions withCaCertificate(Path caCertificate, boolean trustSystemCas) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                clientCertificate,
                clientKey,
                maxConcurrentRequests);
    }

    /** Presents a client certificate (PEM) for mutual TLS; {@code key} may be null if the certificate file holds it. */
    public HttpStoreOptions withClientCertificate(Path certificate, Path key) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                certificate,
                key,
                maxConcurrentRequests);
    }

    public HttpStoreOptions withMaxConcurrentRequests(int maxConcurrentRequests) {
        return new HttpStoreOptions(
                retries,
                backoff,
                maxBackoff,
                connectTimeout,
                readTimeout,
                callTimeout,
                headers,
                caCertificate,
                trustSystemCas,
                clientCertificate,
                clientKey,
                maxConcurrentRequests);
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
