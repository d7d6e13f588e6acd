package dev.jcasync.serve;

import dev.jcasync.store.ChunkCodec;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a {@link ChunkServer} behaves.
 *
 * @param writable       accept PUT uploads (verified before they are stored)
 * @param token          if not null, uploads need {@code Authorization: Bearer <token>}; reads stay
 *                       open because casync's HTTP client cannot send such a header
 * @param threads        request handler threads
 * @param maxUploadBytes the largest PUT body accepted (a chunk file, not the chunk data)
 * @param errors         told about failures the client only sees as a 500 (storage errors)
 */
public record ServerOptions(boolean writable, String token, int threads, long maxUploadBytes, Consumer<String> errors) {
    /** Chunks are at most 128 MiB (docs/format.md 6.2); a compressed file of incompressible data is a little larger. */
    public static final long DEFAULT_MAX_UPLOAD = ChunkCodec.MAX_FILE_BYTES;

    public ServerOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes must be positive, got " + maxUploadBytes);
        }
        if (token != null && !writable) {
            throw new IllegalArgumentException("a token guards uploads, so it needs a writable server");
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("the token must not be empty");
        }
        Objects.requireNonNull(errors, "errors");
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
        return new ServerOptions(true, token, threads, maxUploadBytes, errors);
    }

    public ServerOptions withThreads(int threads) {
        return new ServerOptions(writable, token, threads, maxUploadBytes, errors);
    }

    public ServerOptions withMaxUploadBytes(long maxUploadBytes) {
        return new ServerOptions(writable, token, threads, maxUploadBytes, errors);
    }

    public ServerOptions withErrors(Consumer<String> errors) {
        return new ServerOptions(writable, token, threads, maxUploadBytes, errors);
    }

    @Override
    public String toString() {
        // Keep the token out of logs and messages.
        return "ServerOptions[writable=" + writable + ", token=" + (token == null ? "none" : "set") + ", threads="
                + threads + ", maxUploadBytes=" + maxUploadBytes + "]";
    }
}
