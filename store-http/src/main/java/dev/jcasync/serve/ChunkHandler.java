package dev.jcasync.serve;

import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.ChunkWriter;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * Answers chunk and index requests the way casync's and desync's HTTP clients expect
 * (docs/format.md 7.6, 7.8), as a static file server would, with a strict namespace:
 *
 * <ul>
 *   <li>GET/HEAD of a chunk file {@code /<4 hex>/<id>[.cacnk]} or an index {@code /<name>.caibx|.caidx}:
 *       200 or 404, with ETag, Last-Modified, conditional requests (304), single byte ranges (206,
 *       416) and, for chunks (immutable by name), {@code Cache-Control: public, max-age=31536000, immutable};
 *   <li>on a writable server, PUT of a chunk file, streamed through verification against its id
 *       before it is stored (201 stored, 200 already there, 400 not the chunk, 413 too large,
 *       503 too many uploads at once), and PUT of an index (201 new, 200 replaced), written atomically;
 *   <li>anything else is refused: 405 for other methods, 400 for paths that are neither.
 * </ul>
 */
final class ChunkHandler extends Handler.Abstract {
    private static final String OCTETS = "application/octet-stream";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    // Constant response headers, encoded once rather than on every response.
    private static final HttpField OCTETS_FIELD = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, OCTETS);
    private static final HttpField IMMUTABLE_FIELD = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, IMMUTABLE);
    private static final HttpField RANGES_FIELD = new PreEncodedHttpField(HttpHeader.ACCEPT_RANGES, "bytes");
    /**
     * Files up to this size (every chunk file of the default 16K:64K:256K, incompressible ones
     * included: 262,159 bytes for 256 KiB of random data) are read into one pooled buffer: in
     * flight, at most this much per connection. Larger ones are sent from a mapping of the file
     * (page cache, no copy into the process), which costs a map and an unmap per request.
     */
    static final int READ_WHOLE = 512 << 10;
    /** How long an upload waits for one of the {@code uploadsAtOnce} slots before it gets 503. */
    private static final long UPLOAD_WAIT_SECONDS = 30;
    /** An index file starts with its 48-byte header: size 48, then CA_FORMAT_INDEX (docs/format.md 5.1). */
    private static final long INDEX_HEADER_SIZE = 48;

    private static final long INDEX_TYPE = 0x96824D9C7B129FF9L;
    /** Direct memory for chunk files kept between requests ({@link HotChunks}). */
    static final long HOT_BYTES = 32L << 20;

    private final LocalStore store;
    private final ChunkWriter writer;
    private final ServerOptions options;
    private final byte[] expectedToken;
    private final Semaphore uploads;
    private final HotChunks hotChunks = new HotChunks(HOT_BYTES, READ_WHOLE);

    ChunkHandler(LocalStore store, ServerOptions options) {
        // Reads never block on the network (writes complete through callbacks) and only briefly on
        // the page cache, so they run where the request was parsed, without a hand-off; what may
        // block on a request body (uploads, refusals that drain one) goes to the thread pool.
        super(InvocationType.NON_BLOCKING);
        this.store = store;
        this.writer = new ChunkWriter(store);
        this.options = options;
        this.expectedToken = options.token() == null ? null : options.token().getBytes(StandardCharsets.UTF_8);
        this.uploads = new Semaphore(options.uploadsAtOnce(), true);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        hotChunks.clear();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (read && !hasBody(request)) {
            dispatch(request, response, callback);
        } else {
            request.getComponents().getExecutor().execute(() -> dispatch(request, response, callback));
        }
        return true;
    }

    private static boolean hasBody(Request request) {
        HttpFields headers = request.getHeaders();
        return headers.contains(HttpHeader.TRANSFER_ENCODING)
                || (headers.contains(HttpHeader.CONTENT_LENGTH) && request.getLength() != 0);
    }

    private void dispatch(Request request, Response response, Callback callback) {
        try {
            switch (request.getMethod()) {
                case "GET" -> get(request, response, callback, true);
                case "HEAD" -> get(request, response, callback, false);
                case "PUT" -> put(request, response, callback);
                default -> refuseMethod(request, response, callback);
            }
        } catch (IOException | RuntimeException e) {
            // The client went away, or the body could not be read: nothing more to say to it.
            callback.failed(e);
        }
    }

    /** The raw (still percent-encoded) path, or null if the request has a query, fragment or parameters. */
    private static String rawPath(Request request) {
        // Clients drop the store URL's query before building chunk URLs (docs/format.md 7.6, 7.8): a
        // chunk request has none. The raw path, so escapes ("%2e%2e", "%2f") never pass as a name.
        HttpURI uri = request.getHttpURI();
        if (uri.getQuery() != null || uri.getFragment() != null || uri.getParam() != null) {
            return null;
        }
        return uri.getPath();
    }

    private void get(Request request, Response response, Callback callback, boolean withBody) throws IOException {
        String path = rawPath(request);
        Optional<ChunkPath> chunk = ChunkPath.parse(path);
        if (chunk.isPresent()) {
            Path file = chunk.get().file(store);
            if (!withBody && options.writable()) {
                // On a writable server a HEAD is a writer asking before it reuses the chunk: keep it
                // young so a concurrent prune does not take it (as jcasync's local writers do).
                store.touch(chunk.get().id());
            }
            sendFile(request, response, callback, file, chunk.get(), IMMUTABLE, withBody);
            return;
        }
        Optional<IndexPath> index = IndexPath.parse(path);
        if (index.isPresent()) {
            // Indexes change under their name: caches must ask again (ETag, Last-Modified make that cheap).
            sendFile(request, response, callback, index.get().file(store.root()), null, "no-cache", withBody);
            return;
        }
        badPath(request, response, callback);
    }

    private void sendFile(
            Request request,
            Response response,
            Callback callback,
            Path file,
            ChunkPath chunk,
            String cacheControl,
            boolean withBody)
            throws IOException {
        FileChannel channel;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (chunk != null && attributes.isRegularFile()) {
                HotChunks.Entry hot = hotChunks.get(chunk, attributes);
                if (hot != null) {
                    sendHot(request, response, callback, hot, withBody);
                    return;
                }
            }
            channel = attributes.isRegularFile() ? open(file) : null;
        } catch (NoSuchFileException e) {
            channel = null;
            attributes = null;
        } catch (IOException e) {
            storageError(request, response, callback, "cannot read " + file + ": " + e.getMessage());
            return;
        }
        if (channel == null) {
            text(request, response, callback, 404, "not found");
            return;
        }
        try {
            long size = channel.size();
            long modified = attributes.lastModifiedTime().toMillis();
            String etag = etag(modified, size);
            String lastModified = DateGenerator.formatDate(modified);
            long[] range = headers(request, response, callback, size, modified, etag, lastModified, cacheControl);
            if (range == null) {
                return; // answered: 304 or 416
            }
            long offset = range[0];
            long length = range[1];
            if (!withBody || length == 0) {
                response.write(true, BufferUtil.EMPTY_BUFFER, callback);
                return;
            }
            if (chunk != null && hotChunks.wanted(chunk, size)) {
                // Asked for again: read whole and kept, so the next requests skip the file.
                RetainableByteBuffer buffer = readWhole(request, channel, file, 0, size);
                HotChunks.Entry hot =
                        new HotChunks.Entry(attributes.fileKey(), size, modified, etag, lastModified, buffer);
                buffer.retain(); // one reference for the cache, one for this response
                hotChunks.put(chunk, hot);
                response.write(true, hot.slice(offset, length), Callback.from(callback, buffer::release));
            } else if (length <= READ_WHOLE) {
                // One read into a pooled buffer, one write of header and body together.
                RetainableByteBuffer buffer = readWhole(request, channel, file, offset, length);
                response.write(true, buffer.getByteBuffer(), Callback.from(callback, buffer::release));
            } else {
                // Large: sent from a mapping of the file, no copy into the heap or a buffer.
                ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
                response.write(true, mapped, callback);
            }
        } finally {
            channel.close(); // the buffer holds a copy, and a mapping stays valid after its channel is closed
        }
    }

    /** A kept chunk file: no file access beyond the stat that found it still current. */
    private void sendHot(Request request, Response response, Callback callback, HotChunks.Entry hot, boolean withBody) {
        RetainableByteBuffer buffer = hot.buffer(); // retained for this response by HotChunks.get
        Callback release = Callback.from(callback, buffer::release);
        long[] range;
        try {
            range = headers(
                    request,
                    response,
                    release,
                    hot.size(),
                    hot.modifiedMillis(),
                    hot.etag(),
                    hot.lastModified(),
                    IMMUTABLE);
        } catch (IOException | RuntimeException e) {
            release.failed(e);
            return;
        }
        if (range == null) {
            return; // answered: 304 or 416
        }
        if (!withBody || range[1] == 0) {
            response.write(true, BufferUtil.EMPTY_BUFFER, release);
        } else {
            response.write(true, hot.slice(range[0], range[1]), release);
        }
    }

    /** As nginx makes them: modification time and size, so a replaced file gets a new tag. */
    private static String etag(long modifiedMillis, long size) {
        return "\"" + Long.toHexString(modifiedMillis / 1000) + "-" + Long.toHexString(size) + "\"";
    }

    /**
     * Sets the response headers of a file of {@code size} bytes and decides the body: {offset,
     * length} to send (the whole file, or the one satisfiable range asked for), or null when this
     * already answered (304 Not Modified, 416 Range Not Satisfiable).
     */
    private long[] headers(
            Request request,
            Response response,
            Callback callback,
            long size,
            long modified,
            String etag,
            String lastModified,
            String cacheControl)
            throws IOException {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(OCTETS_FIELD);
        headers.put(HttpHeader.ETAG, etag);
        headers.put(HttpHeader.LAST_MODIFIED, lastModified);
        if (cacheControl.equals(IMMUTABLE)) {
            headers.put(IMMUTABLE_FIELD);
        } else {
            headers.put(HttpHeader.CACHE_CONTROL, cacheControl);
        }
        headers.put(RANGES_FIELD);
        if (notModified(request.getHeaders(), etag, modified)) {
            response.setStatus(304);
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return null;
        }
        long offset = 0;
        long length = size;
        String range = request.getHeaders().get(HttpHeader.RANGE);
        if (range != null && ifRangeHolds(request.getHeaders(), etag, modified)) {
            long[] r = Ranges.parse(range, size);
            if (r == Ranges.UNSATISFIABLE) {
                headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
                text(request, response, callback, 416, "range not satisfiable");
                return null;
            }
            if (r != null) {
                offset = r[0];
                length = r[1] - r[0] + 1;
                response.setStatus(206);
                headers.put(HttpHeader.CONTENT_RANGE, "bytes " + r[0] + "-" + r[1] + "/" + size);
            }
        }
        headers.put(HttpHeader.CONTENT_LENGTH, length);
        return new long[] {offset, length};
    }

    /** {@code length} bytes of {@code channel} from {@code offset}, in a pooled buffer (flipped, to write). */
    private static RetainableByteBuffer readWhole(
            Request request, FileChannel channel, Path file, long offset, long length) throws IOException {
        RetainableByteBuffer buffer =
                request.getComponents().getByteBufferPool().acquire((int) length, true);
        ByteBuffer bytes = buffer.getByteBuffer();
        try {
            bytes.clear().limit((int) length);
            long at = offset;
            while (bytes.hasRemaining()) {
                int n = channel.read(bytes, at);
                if (n < 0) {
                    throw new IOException(file + " shrank while it was read");
                }
                at += n;
            }
            bytes.flip();
            return buffer;
        } catch (IOException e) {
            buffer.release();
            throw e;
        }
    }

    /**
     * An open channel on the regular file at {@code path}, or null if there is none. A symlink is
     * casync's mark for a known-missing chunk (docs/format.md 6.4), so it is never followed.
     */
    private static FileChannel open(Path path) throws IOException {
        try {
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

    /** RFC 9110 13.1.2/13.1.3: If-None-Match decides if present, else If-Modified-Since. */
    private static boolean notModified(HttpFields headers, String etag, long modified) {
        String noneMatch = headers.get(HttpHeader.IF_NONE_MATCH);
        if (noneMatch != null) {
            return etagListMatches(noneMatch, etag, true);
        }
        String since = headers.get(HttpHeader.IF_MODIFIED_SINCE);
        if (since != null) {
            long date = httpDate(since);
            return date >= 0 && modified / 1000 <= date / 1000;
        }
        return false;
    }

    /** RFC 9110 13.1.5: a range only if the representation is still the one the client has. */
    private static boolean ifRangeHolds(HttpFields headers, String etag, long modified) {
        String ifRange = headers.get(HttpHeader.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        if (ifRange.startsWith("\"")) {
            return ifRange.equals(etag); // strong comparison
        }
        long date = httpDate(ifRange);
        return date >= 0 && modified / 1000 == date / 1000;
    }

    private static boolean etagListMatches(String list, String etag, boolean weak) {
        for (String candidate : list.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (weak && tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private void put(Request request, Response response, Callback callback) throws IOException {
        if (!options.writable()) {
            refuseMethod(request, response, callback);
            return;
        }
        String path = rawPath(request);
        Optional<ChunkPath> chunk = ChunkPath.parse(path);
        Optional<IndexPath> index = chunk.isPresent() ? Optional.empty() : IndexPath.parse(path);
        if (chunk.isEmpty() && index.isEmpty()) {
            badPath(request, response, callback);
            return;
        }
        if (!authorized(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"jcasync\"");
            text(request, response, callback, 401, "missing or wrong Authorization: Bearer token");
            return;
        }
        long declared = request.getLength();
        if (declared > options.maxUploadBytes()) {
            // Refused before reading anything.
            tooLarge(request, response, callback);
            return;
        }
        try {
            if (!uploads.tryAcquire(UPLOAD_WAIT_SECONDS, TimeUnit.SECONDS)) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                text(request, response, callback, 503, "too many uploads at once; try again");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.failed(e);
            return;
        }
        try {
            if (chunk.isPresent()) {
                putChunk(request, response, callback, chunk.get());
            } else {
                putIndex(request, response, callback, index.get());
            }
        } finally {
            uploads.release();
        }
    }

    private void putChunk(Request request, Response response, Callback callback, ChunkPath chunk) throws IOException {
        Path target = chunk.file(store);
        Path temp =
                target.resolveSibling(ChunkLayout.tempName(target.getFileName().toString()));
        FileChannel out;
        try {
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
            }
            out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            storageError(request, response, callback, "cannot store chunk " + chunk.id() + ": " + e.getMessage());
            return;
        }
        boolean moved = false;
        try {
            Optional<String> problem;
            try (out) {
                problem = UploadCheck.receive(
                        Request.asInputStream(request),
                        out,
                        chunk.id(),
                        chunk.compressed(),
                        options.maxUploadBytes(),
                        options.maxChunkBytes());
            } catch (UploadCheck.TooLarge e) {
                Files.deleteIfExists(temp); // before the answer: a client that has it sees no trace
                tooLarge(request, response, callback);
                return;
            }
            if (problem.isPresent()) {
                // Never stored, and gone before the answer.
                Files.deleteIfExists(temp);
                text(request, response, callback, 400, problem.get());
                return;
            }
            boolean stored;
            try {
                // A present one is freshened for prune, like a local writer's.
                if (writer.present(chunk.id())) {
                    stored = false;
                } else {
                    // rename(2) is atomic; replacing a concurrent uploader's file is harmless, it holds the same chunk.
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                    moved = true;
                    stored = true;
                }
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                storageError(request, response, callback, "cannot store chunk " + chunk.id() + ": " + e.getMessage());
                return;
            }
            if (!stored) {
                Files.deleteIfExists(temp);
            }
            text(request, response, callback, stored ? 201 : 200, stored ? "stored" : "already stored");
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private void putIndex(Request request, Response response, Callback callback, IndexPath index) throws IOException {
        Path target = index.file(store.root());
        Path temp =
                target.resolveSibling(ChunkLayout.tempName(target.getFileName().toString()));
        FileChannel out;
        try {
            Files.createDirectories(store.root());
            out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            storageError(request, response, callback, "cannot store index " + index.name() + ": " + e.getMessage());
            return;
        }
        boolean moved = false;
        try {
            long size = 0;
            ByteBuffer header = ByteBuffer.allocate((int) INDEX_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            try (out;
                    InputStream in = Request.asInputStream(request)) {
                byte[] buffer = new byte[64 << 10];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    size += n;
                    if (size > options.maxUploadBytes()) {
                        Files.deleteIfExists(temp);
                        tooLarge(request, response, callback);
                        return;
                    }
                    if (header.hasRemaining()) {
                        header.put(buffer, 0, Math.min(n, header.remaining()));
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                }
            }
            header.flip();
            if (header.remaining() < INDEX_HEADER_SIZE
                    || header.getLong(0) != INDEX_HEADER_SIZE
                    || header.getLong(8) != INDEX_TYPE) {
                Files.deleteIfExists(temp);
                text(request, response, callback, 400, "not a casync index file (no index header)");
                return;
            }
            boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                storageError(request, response, callback, "cannot store index " + index.name() + ": " + e.getMessage());
                return;
            }
            text(request, response, callback, existed ? 200 : 201, existed ? "replaced" : "stored");
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** {@code Authorization: Bearer <token>}; the scheme is case-insensitive (RFC 9110 11.1), the token exact. */
    private boolean authorized(Request request) {
        if (expectedToken == null) {
            return true;
        }
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (given == null || given.length() < 7 || !given.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant-time, so response timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(expectedToken, given.substring(7).getBytes(StandardCharsets.UTF_8));
    }

    private void badPath(Request request, Response response, Callback callback) throws IOException {
        text(
                request,
                response,
                callback,
                400,
                "not a chunk or index path: expected /<4 hex>/<64 hex>.cacnk, /<4 hex>/<64 hex> or /<name>.caibx");
    }

    private void refuseMethod(Request request, Response response, Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.ALLOW, options.writable() ? "GET, HEAD, PUT" : "GET, HEAD");
        text(
                request,
                response,
                callback,
                405,
                options.writable() || !request.getMethod().equals("PUT")
                        ? "method not allowed"
                        : "this server is read-only");
    }

    private void tooLarge(Request request, Response response, Callback callback) {
        // Not worth reading: the connection is dropped after the answer instead.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        answer(response, callback, 413, "chunk or index file larger than " + options.maxUploadBytes() + " bytes");
    }

    private void storageError(Request request, Response response, Callback callback, String message)
            throws IOException {
        options.errors().accept(message);
        text(request, response, callback, 500, "storage error");
    }

    /**
     * A short plain-text answer; the status is what clients act on, the text is for people. What
     * is left of the request body (up to the upload limit) is read first: a client still sending
     * would otherwise see a reset, not the answer, and take a refused upload for a network error,
     * which it retries.
     */
    private void text(Request request, Response response, Callback callback, int status, String message)
            throws IOException {
        if (!discardBody(request)) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        answer(response, callback, status, message);
    }

    private static void answer(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, message + "\n", callback);
    }

    /** Reads and drops what is left of the body; false if it was larger than uploads may be (left unread). */
    private boolean discardBody(Request request) throws IOException {
        if (!hasBody(request)) {
            return true; // (requests that have one are answered from the thread pool: this may block)
        }
        if (request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
            return true; // the client waits for a go-ahead it will not get, and sends nothing
        }
        InputStream in = Request.asInputStream(request);
        byte[] buffer = new byte[64 << 10];
        long left = options.maxUploadBytes();
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
            left -= n;
        }
        return left > 0;
    }

    /** An HTTP date (RFC 9110 5.6.7, the IMF-fixdate form every current client sends) in milliseconds, or -1. */
    private static long httpDate(String value) {
        try {
            return java.time.ZonedDateTime.parse(value.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return -1;
        }
    }
}
