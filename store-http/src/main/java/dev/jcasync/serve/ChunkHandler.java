package dev.jcasync.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkWriter;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Answers chunk requests the way casync's and desync's HTTP clients expect (docs/format.md 7.6, 7.8):
 * GET/HEAD of a chunk file (200 or 404), and, on a writable server, PUT of a chunk file that is
 * verified against its id before it is stored (201 stored, 200 already there). Anything else is
 * refused: 405 for other methods, 400 for paths that are not exactly a chunk's.
 */
final class ChunkHandler implements HttpHandler {
    private static final String OCTETS = "application/octet-stream";

    private final LocalStore store;
    private final ChunkWriter writer;
    private final ServerOptions options;
    private final byte[] expectedAuthorization;

    ChunkHandler(LocalStore store, ServerOptions options) {
        this.store = store;
        this.writer = new ChunkWriter(store);
        this.options = options;
        this.expectedAuthorization =
                options.token() == null ? null : ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // Transport errors (client gone) end up here: closing the exchange drops the connection.
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> get(exchange, true);
                case "HEAD" -> get(exchange, false);
                case "PUT" -> put(exchange);
                default -> refuseMethod(exchange);
            }
        }
    }

    private void get(HttpExchange exchange, boolean withBody) throws IOException {
        Optional<ChunkPath> chunk = chunkPath(exchange);
        if (chunk.isEmpty()) {
            return;
        }
        Path file = chunk.get().file(store);
        FileChannel channel;
        try {
            channel = openChunkFile(file);
        } catch (IOException e) {
            storageError(exchange, "cannot read " + file + ": " + e.getMessage());
            return;
        }
        if (channel == null) {
            text(exchange, 404, "no such chunk");
            return;
        }
        try (channel) {
            long size = channel.size();
            exchange.getResponseHeaders().set("Content-Type", OCTETS);
            if (!withBody) {
                if (options.writable()) {
                    // On a writable server a HEAD is a writer asking before it reuses the chunk: keep it
                    // young so a concurrent prune does not take it (as jcasync's local writers do).
                    store.touch(chunk.get().id());
                }
                // The JDK server does not derive Content-Length for HEAD; desync reads only the status.
                exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            sendHeaders(exchange, 200, size);
            try (OutputStream out = exchange.getResponseBody()) {
                Channels.newInputStream(channel).transferTo(out);
            }
        }
    }

    /**
     * An open channel on the regular file at {@code path}, or null if there is none. A symlink is
     * casync's mark for a known-missing chunk (docs/format.md 6.4), so it is never followed.
     */
    private static FileChannel openChunkFile(Path path) throws IOException {
        try {
            if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isRegularFile()) {
                return null;
            }
            return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            // ELOOP: replaced by a symlink between the two calls.
            if (Files.isSymbolicLink(path)) {
                return null;
            }
            throw e;
        }
    }

    private void put(HttpExchange exchange) throws IOException {
        if (!options.writable()) {
            refuseMethod(exchange);
            return;
        }
        Optional<ChunkPath> chunk = chunkPath(exchange);
        if (chunk.isEmpty()) {
            return;
        }
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jcasync\"");
            text(exchange, 401, "missing or wrong Authorization: Bearer token");
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            text(exchange, 413, "chunk file larger than " + options.maxUploadBytes() + " bytes");
            return;
        }
        ChunkFile file = new ChunkFile(body, chunk.get().compressed());
        Optional<String> problem = UploadCheck.problem(chunk.get().id(), file);
        if (problem.isPresent()) {
            text(exchange, 400, problem.get());
            return;
        }
        boolean stored;
        try {
            stored = writer.putIfAbsent(
                    chunk.get().id(), () -> file); // a present one is freshened for prune, like a local writer's
        } catch (IOException e) {
            storageError(exchange, "cannot store chunk " + chunk.get().id() + ": " + e.getMessage());
            return;
        }
        text(exchange, stored ? 201 : 200, stored ? "stored" : "already stored");
    }

    /** The request body, or null if it is larger than uploads may be. */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        long limit = options.maxUploadBytes();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    return null; // refuse before reading anything
                }
            } catch (NumberFormatException e) {
                // The JDK server has already rejected malformed lengths; let the read below decide.
            }
        }
        // Left open: closing the exchange closes it, and discardBody may still read from it.
        byte[] body = exchange.getRequestBody().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        return body.length > limit ? null : body;
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        // Constant-time, so response timing does not reveal how much of a guess was right.
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    /** The chunk the request names; if it names none, answers 400 and returns empty. */
    private Optional<ChunkPath> chunkPath(HttpExchange exchange) throws IOException {
        // The raw path, so percent-escapes ("%2e%2e", "%2f") never pass as a chunk name. Clients drop
        // the store URL's query before building chunk URLs (docs/format.md 7.6, 7.8): a chunk request has
        // no query or fragment.
        URI uri = exchange.getRequestURI();
        Optional<ChunkPath> chunk = uri.getRawQuery() == null && uri.getRawFragment() == null
                ? ChunkPath.parse(uri.getRawPath())
                : Optional.empty();
        if (chunk.isEmpty()) {
            text(exchange, 400, "not a chunk path: expected /<4 hex>/<64 hex>.cacnk or /<4 hex>/<64 hex>");
        }
        return chunk;
    }

    private void refuseMethod(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Allow", options.writable() ? "GET, HEAD, PUT" : "GET, HEAD");
        text(
                exchange,
                405,
                options.writable() || !exchange.getRequestMethod().equals("PUT")
                        ? "method not allowed"
                        : "this server is read-only");
    }

    private void storageError(HttpExchange exchange, String message) throws IOException {
        options.errors().accept(message);
        text(exchange, 500, "storage error");
    }

    /** A short plain-text answer; the status is what clients act on, the text is for people. */
    private void text(HttpExchange exchange, int status, String message) throws IOException {
        if (status == 413) {
            // Not worth reading: the connection is dropped after the answer instead.
            exchange.getResponseHeaders().set("Connection", "close");
        } else {
            discardBody(exchange);
        }
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        sendHeaders(exchange, status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Reads what is left of the request body (up to the upload limit). The JDK server closes a
     * connection with much unread input, and the reset that causes can destroy the answer on its
     * way to the client: a refused upload would look like a network error, which clients retry.
     */
    private void discardBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if (in.read() < 0) {
            return; // the usual case: no body, or already read
        }
        byte[] buffer = new byte[64 << 10];
        long left = options.maxUploadBytes() - 1;
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
            left -= n;
        }
        if (left <= 0) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Sends a fixed-length response header; the JDK server takes length 0 to mean "chunked", -1 to mean empty. */
    private static void sendHeaders(HttpExchange exchange, int status, long length) throws IOException {
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    }
}
