package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.store.ChunkCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link ChunkServer} behaves.
 *
 * @param writable       accept PUT uploads (verified before they are stored)
 * @param token          if not null, uploads need {@code Authorization: Bearer <token>}; reads stay
 *                       open because casync's HTTP client cannot send such a header
 * @param threads        request handler threads (the pool adds a few for accepting and selecting)
 * @param maxUploadBytes the largest PUT body accepted (a chunk file, not the chunk data)
 * @param errors         told about failures the client only sees as a 500 (storage errors)
 * @param maxChunkBytes  the largest chunk an upload may decompress to: decoding stops there
 * @param uploadsAtOnce  request bodies received and verified at once; more wait (then 503). Each
 *                       is streamed to disk, so one costs its decoder's memory (at most ~17 MiB)
 * @param headerTimeout  a request's header must arrive within this (slow-header clients are dropped)
 * @param idleTimeout    a connection with no traffic for this long is closed
 * @param maxConnections connections beyond this wait in the accept queue
 * @param accessLog      if not null, told one NCSA line per request
 * @param tlsCert        if not null (with {@code tlsKey}), serve HTTPS with this PEM certificate chain
 * @param tlsKey         the PEM (PKCS#8) private key of {@code tlsCert}
 * @param stopTimeout    how long {@link ChunkServer#close} lets running requests finish
 */
public record ServerOptions(
        boolean writable,
        String token,
        int threads,
        long maxUploadBytes,
        Consumer<String> errors,
        long maxChunkBytes,
        int uploadsAtOnce,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxConnections,
        Consumer<String> accessLog,
        Path tlsCert,
        Path tlsKey,
        Duration stopTimeout) {
    /** Chunks are at most 128 MiB (docs/format.md 6.2); a compressed file of incompressible data is a little larger. */
    public static final long DEFAULT_MAX_UPLOAD = ChunkCodec.MAX_FILE_BYTES;

    public ServerOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive, got " + maxUploadBytes);
        }
        if (maxChunkBytes < 1 || maxChunkBytes > ChunkSizes.LIMIT) {
            throw new IllegalArgumentException(
                    "maxChunkBytes must be 1 to " + ChunkSizes.LIMIT + ", got " + maxChunkBytes);
        }
        if (uploadsAtOnce < 1) {
            throw new IllegalArgumentException("uploadsAtOnce must be at least 1, got " + uploadsAtOnce);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (token != null && !writable) {
            throw new IllegalArgumentException("a token guards uploads, so it needs a writable server");
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("the token must not be empty");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key");
        }
        Objects.requireNonNull(errors, "errors");
        positive(headerTimeout, "headerTimeout");
        positive(idleTimeout, "idleTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
    }

    /** The options of before: defaults for everything else. */
    public ServerOptions(boolean writable, String token, int threads, long maxUploadBytes, Consumer<String> errors) {
        this(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                ChunkSizes.LIMIT,
                4,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                1024,
                null,
                null,
                null,
                Duration.ofSeconds(5));
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** Read-only, one thread per core (at least four: requests mostly wait on disk and network). */
    public static ServerOptions defaults() {
        return new ServerOptions(
                false,
                null,
                Math.max(4, Runtime.getRuntime().availableProcessors()),
                DEFAULT_MAX_UPLOAD,
                message -> {});
    }

    /** Accepts uploads; {@code token} may be null for no authentication. */
    public ServerOptions withWritable(String token) {
        return new ServerOptions(
                true,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withThreads(int threads) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withMaxUploadBytes(long maxUploadBytes) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withErrors(Consumer<String> errors) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withMaxChunkBytes(long maxChunkBytes) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withUploadsAtOnce(int uploadsAtOnce) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withTimeouts(Duration headerTimeout, Duration idleTimeout) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withMaxConnections(int maxConnections) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withAccessLog(Consumer<String> accessLog) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    /** HTTPS with a PEM certificate chain and its PKCS#8 key; both null for plain HTTP. */
    public ServerOptions withTls(Path tlsCert, Path tlsKey) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    public ServerOptions withStopTimeout(Duration stopTimeout) {
        return new ServerOptions(
                writable,
                token,
                threads,
                maxUploadBytes,
                errors,
                maxChunkBytes,
                uploadsAtOnce,
                headerTimeout,
                idleTimeout,
                maxConnections,
                accessLog,
                tlsCert,
                tlsKey,
                stopTimeout);
    }

    @Override
    public String toString() {
        // Keep the token out of logs and messages.
        return "ServerOptions[writable=" + writable + ", token=" + (token == null ? "none" : "set") + ", threads="
                + threads + ", maxUploadBytes=" + maxUploadBytes + ", maxChunkBytes=" + maxChunkBytes
                + ", uploadsAtOnce=" + uploadsAtOnce + ", headerTimeout=" + headerTimeout + ", idleTimeout="
                + idleTimeout + ", maxConnections=" + maxConnections + ", tls=" + (tlsCert != null) + "]";
    }
}
