package dev.jcasync.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a remote store or index, whatever the backend: what {@code --retries},
 * {@code --timeout}, {@code --header}, {@code --ca-cert}, {@code --client-cert} and
 * {@code --client-key} set. Immutable; start from {@link #defaults()}. Backends add their own
 * settings on top (store-http's {@code HttpStoreOptions} is built from this).
 *
 * @param retries how many times a failed request is repeated (so {@code retries + 1} attempts);
 *     also how many times a chunk that fails verification is fetched again
 * @param timeout limit for connecting, and for one read or write to make progress
 * @param headers extra request headers as {@code "Name: value"} lines (for example {@code Authorization})
 * @param caCertificate PEM file with CA certificates to trust besides the system ones, or null
 * @param clientCertificate PEM certificate chain presented for mutual TLS, or null for none
 * @param clientKey PEM PKCS#8 private key of {@code clientCertificate}; null if the key is in the
 *     certificate file
 */
public record RemoteOptions(
        int retries,
        Duration timeout,
        List<String> headers,
        Path caCertificate,
        Path clientCertificate,
        Path clientKey) {
    public RemoteOptions {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        headers = List.copyOf(headers);
        for (String header : headers) {
            checkHeader(header);
        }
        if (clientKey != null && clientCertificate == null) {
            throw new IllegalArgumentException("a client key needs a client certificate");
        }
    }

    /** 5 retries, 30 s timeouts, no extra headers, the system CAs, no client certificate. */
    public static RemoteOptions defaults() {
        return new RemoteOptions(5, Duration.ofSeconds(30), List.of(), null, null, null);
    }

    public RemoteOptions withRetries(int retries) {
        return new RemoteOptions(retries, timeout, headers, caCertificate, clientCertificate, clientKey);
    }

    public RemoteOptions withTimeout(Duration timeout) {
        return new RemoteOptions(retries, timeout, headers, caCertificate, clientCertificate, clientKey);
    }

    /** Replaces the extra headers. */
    public RemoteOptions withHeaders(List<String> headers) {
        return new RemoteOptions(retries, timeout, headers, caCertificate, clientCertificate, clientKey);
    }

    /** Adds one {@code "Name: value"} header. */
    public RemoteOptions withHeader(String header) {
        List<String> all = new ArrayList<>(headers);
        all.add(header);
        return withHeaders(all);
    }

    /** Also trusts the CAs in a PEM file (null: the system CAs only). */
    public RemoteOptions withCaCertificate(Path caCertificate) {
        return new RemoteOptions(retries, timeout, headers, caCertificate, clientCertificate, clientKey);
    }

    /** Presents a client certificate (PEM) for mutual TLS; {@code key} may be null if the certificate file holds it. */
    public RemoteOptions withClientCertificate(Path certificate, Path key) {
        return new RemoteOptions(retries, timeout, headers, caCertificate, certificate, key);
    }

    /**
     * {@code header} if it is a {@code "Name: value"} line.
     *
     * @throws IllegalArgumentException if it is not
     */
    public static String checkHeader(String header) {
        int colon = header == null ? -1 : header.indexOf(':');
        if (colon <= 0 || header.substring(0, colon).isBlank()) {
            throw new IllegalArgumentException("header must be 'Name: value', got '" + header + "'");
        }
        return header;
    }
}
