package dev.jcasync.store.http;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.Compression;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A chunk store served over HTTP(S), laid out like a casync store directory: chunk {@code id} is
 * at {@code <base>/<4 hex>/<64 hex>.cacnk} (docs/format.md 6.1, 7.6; see {@link ChunkLayout}). {@link #get} and {@link #has} work
 * with any static web server; {@link #put} needs one that accepts PUT (desync's chunk-server, 7.8).
 * Only compressed chunk files are used, as casync's HTTP client does.
 */
public final class HttpStore implements ChunkStore {
    /** A chunk is at most 128 MiB decompressed; incompressible data grows a little when compressed. */
    static final long MAX_CHUNK_FILE_BYTES = ChunkCodec.MAX_FILE_BYTES;

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    /** casync's URL test (docs/format.md 7.1): scheme, "://", a host, then '/', '?', ';' or the end. */
    private static final Pattern HTTP_URL = Pattern.compile("(?i)https?://[^/?;]+([/?;].*)?", Pattern.DOTALL);

    private final String base;
    private final HttpTransport transport;

    /** A store at {@code url} with {@link HttpStoreOptions#defaults()}. */
    public HttpStore(String url) throws IOException {
        this(url, HttpStoreOptions.defaults());
    }

    /**
     * @throws IllegalArgumentException if {@code url} is not an http(s) URL or an option is malformed
     * @throws IOException if TLS files named in {@code options} cannot be read
     */
    public HttpStore(String url, HttpStoreOptions options) throws IOException {
        this.base = baseUrl(url);
        HttpTransport.parseUrl(base + "/"); // reject a bad URL now rather than at the first request
        this.transport = new HttpTransport(options);
    }

    /** True if casync would treat {@code locator} as an http(s) URL (rather than a path or ssh host). */
    public static boolean isHttpUrl(String locator) {
        return locator != null && HTTP_URL.matcher(locator).matches();
    }

    /**
     * casync's store base (docs/format.md 7.6): the URL cut at the first '?' or ';' (query and
     * parameters are not passed on to chunk URLs), without trailing '/'.
     */
    public static String baseUrl(String storeUrl) {
        int cut = storeUrl.length();
        for (char c : new char[] {'?', ';'}) {
            int i = storeUrl.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        int end = cut;
        while (end > 0 && storeUrl.charAt(end - 1) == '/') {
            end--;
        }
        return storeUrl.substring(0, end);
    }

    /** The URL of chunk {@code id}'s compressed file. */
    public String chunkUrl(ChunkId id) {
        return base + "/" + ChunkLayout.path(id, true);
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        Request request = newRequest(id).get().build();
        HttpTransport.Reply reply = transport.send(request, subject(id), MAX_CHUNK_FILE_BYTES);
        return switch (reply.code()) {
            case 200 -> Optional.of(new ChunkFile(reply.body(), true));
            case 404, 410 -> Optional.empty();
            default -> throw transport.unexpected(request, subject(id), reply);
        };
    }

    @Override
    public boolean has(ChunkId id) throws IOException {
        Request request = newRequest(id).head().build();
        HttpTransport.Reply reply = transport.send(request, subject(id), 0);
        return switch (reply.code()) {
            case 200 -> true;
            case 404, 410 -> false;
            default -> throw transport.unexpected(request, subject(id), reply);
        };
    }

    /** The chunk file's size from a HEAD request (Content-Length): what a GET would transfer. */
    @Override
    public long sizeOf(ChunkId id) throws IOException {
        Request request = newRequest(id).head().build();
        HttpTransport.Reply reply = transport.send(request, subject(id), 0);
        return switch (reply.code()) {
            case 200 ->
                reply.contentLength() >= 0 ? reply.contentLength() : ChunkStore.super.sizeOf(id); // no length: GET it
            case 404, 410 -> -1;
            default -> throw transport.unexpected(request, subject(id), reply);
        };
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    /** Uploads the chunk file with PUT; a raw chunk is compressed first, since only {@code .cacnk} names are used. */
    @Override
    public void put(ChunkId id, ChunkFile file) throws IOException {
        ChunkFile upload =
                file.compressed() ? file : ChunkCodec.encode(file.bytes(), 0, file.bytes().length, Compression.ZSTD);
        Request request = newRequest(id)
                .put(RequestBody.create(upload.bytes(), OCTET_STREAM))
                .build();
        HttpTransport.Reply reply = transport.send(request, subject(id), 0);
        if (reply.code() != 200 && reply.code() != 201 && reply.code() != 204) {
            throw transport.unexpected(request, subject(id), reply);
        }
    }

    /** A copy damaged in transit may arrive intact next time, so corrupt chunks are fetched again. */
    @Override
    public int refetchesOnCorruption() {
        return transport.options().retries();
    }

    /** GETs another resource (such as a {@code .caibx} index) with this store's client and settings. */
    public byte[] getResource(String url) throws IOException {
        return transport.getResource(url);
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return transport.requests();
    }

    /** Response body bytes received so far. */
    public long bytesReceived() {
        return transport.bytesReceived();
    }

    public HttpStoreOptions options() {
        return transport.options();
    }

    @Override
    public String location() {
        return HttpTransport.display(HttpTransport.parseUrl(base + "/"));
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return "HTTP store " + location();
    }

    private Request.Builder newRequest(ChunkId id) {
        return transport.newRequest(HttpTransport.parseUrl(chunkUrl(id)));
    }

    private static String subject(ChunkId id) {
        return "chunk " + id + ": ";
    }
}
