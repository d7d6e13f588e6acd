package dev.jcasync.store.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.security.GeneralSecurityException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Sends HTTP requests with jcasync's retry rules over one shared OkHttpClient, and counts what
 * it transfers. Transient failures (5xx, 408, 429, connection errors, timeouts, truncated bodies)
 * are retried with {@link Backoff}; every other answer is handed to the caller at once. Safe for
 * concurrent use; at most {@link HttpStoreOptions#maxConcurrentRequests()} requests run at a time.
 */
public final class HttpTransport implements Closeable {
    /** The largest body {@link #getResource} accepts (a Java array's limit). */
    public static final long MAX_RESOURCE_BYTES = Integer.MAX_VALUE - 8;

    private static final String USER_AGENT = "jcasync";
    private static final int READ_STEP = 64 * 1024;

    private final HttpStoreOptions options;
    private final OkHttpClient client;
    private final Headers extraHeaders;
    private final Backoff backoff;
    private final Semaphore permits;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private volatile boolean closed;

    /**
     * @throws IOException if the TLS files in {@code options} cannot be read
     * @throws IllegalArgumentException if a header in {@code options} is malformed
     */
    public HttpTransport(HttpStoreOptions options) throws IOException {
        this.options = options;
        this.extraHeaders = parseHeaders(options);
        this.backoff = new Backoff(options.backoff(), options.maxBackoff());
        this.permits = new Semaphore(options.maxConcurrentRequests());
        this.client = HttpClientFactory.create(options);
    }

    public HttpStoreOptions options() {
        return options;
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return requests.get();
    }

    /** Response body bytes received so far, including those of failed transfers. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /** GETs a whole resource (such as a {@code .caibx} index); anything but 200 is an error naming the URL. */
    public byte[] getResource(String url) throws IOException {
        HttpUrl parsed = parseUrl(url);
        Request request = newRequest(parsed).get().build();
        Reply reply = send(request, "", MAX_RESOURCE_BYTES);
        if (reply.code() != 200) {
            throw unexpected(request, "", reply);
        }
        return reply.body();
    }

    /**
     * A final answer: 2xx, 3xx, or a 4xx other than 408/429. {@code body} is set for a GET with 200;
     * {@code contentLength} is the Content-Length header, -1 when absent.
     */
    record Reply(int code, String reason, byte[] body, long contentLength) {
        String status() {
            return HttpTransport.status(code, reason);
        }
    }

    /**
     * Sends {@code request}, retrying transient failures, and returns the first final answer.
     * {@code subject} prefixes error messages (for example {@code "chunk <id>: "}).
     */
    Reply send(Request request, String subject, long maxBody) throws IOException {
        int attempts = options.retries() + 1;
        String lastCause = "";
        IOException lastError = null;
        for (int attempt = 1; ; attempt++) {
            if (closed) {
                throw new IOException(subject + describe(request) + ": the HTTP client is closed");
            }
            long retryAfterMillis = 0;
            try {
                return exchange(request, maxBody);
            } catch (RetryableStatus e) {
                lastCause = e.getMessage();
                lastError = null;
                retryAfterMillis = e.retryAfterMillis;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted() || closed) {
                    throw e;
                }
                if (!isTransient(e)) {
                    throw new IOException(subject + describe(request) + ": " + describe(e), e);
                }
                lastCause = describe(e);
                lastError = e;
            }
            if (attempt >= attempts) {
                throw new IOException(
                        subject + describe(request) + " failed after " + attempts
                                + (attempts == 1 ? " attempt: " : " attempts: ") + lastCause,
                        lastError);
            }
            pause(backoff.delayMillis(attempt - 1, retryAfterMillis));
        }
    }

    /** The error for a final answer the caller did not expect. */
    IOException unexpected(Request request, String subject, Reply reply) {
        return new IOException(subject + describe(request) + ": " + reply.status());
    }

    Request.Builder newRequest(HttpUrl url) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .header("User-Agent", USER_AGENT)
                // Chunks are compressed already: asking for gzip would only cost the server CPU
                // and make the byte counts lie.
                .header("Accept-Encoding", "identity");
        if (!url.username().isEmpty() && extraHeaders.get("Authorization") == null) {
            builder.header("Authorization", Credentials.basic(url.username(), url.password()));
        }
        for (String name : extraHeaders.names()) {
            builder.removeHeader(name);
        }
        for (int i = 0; i < extraHeaders.size(); i++) {
            builder.addHeader(extraHeaders.name(i), extraHeaders.value(i));
        }
        return builder;
    }

    static HttpUrl parseUrl(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: '" + url + "'");
        }
        return parsed;
    }

    /** The URL for messages: without a password. */
    static String display(HttpUrl url) {
        return url.password().isEmpty()
                ? url.toString()
                : url.newBuilder().password("").build().toString();
    }

    /** Aborts requests in flight and releases connections; later requests fail. */
    @Override
    public void close() {
        closed = true;
        client.dispatcher().cancelAll();
        client.connectionPool().evictAll();
    }

    private Reply exchange(Request request, long maxBody) throws IOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send " + describe(request));
        }
        try {
            requests.incrementAndGet();
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                if (isTransient(code)) {
                    throw new RetryableStatus(status(code, response.message()), retryAfterMillis(response));
                }
                byte[] body = code == 200 && request.method().equals("GET") ? readBody(response.body(), maxBody) : null;
                String length = response.header("Content-Length");
                return new Reply(code, response.message(), body, length == null ? -1 : Long.parseLong(length.trim()));
            }
        } finally {
            permits.release();
        }
    }

    /** Reads the whole body, counting bytes as they arrive so that failed transfers count too. */
    private byte[] readBody(ResponseBody body, long maxBody) throws IOException {
        long declared = body.contentLength();
        if (declared > maxBody) {
            throw new NotRetryable("response body of " + declared + " bytes exceeds the limit of " + maxBody);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        long n;
        while ((n = source.read(buffer, READ_STEP)) != -1) {
            bytesReceived.addAndGet(n);
            if (buffer.size() > maxBody) {
                throw new NotRetryable("response body exceeds the limit of " + maxBody + " bytes");
            }
        }
        // okhttp already fails a short fixed-length body; this guards the invariant the caller relies on.
        if (declared >= 0 && buffer.size() != declared) {
            throw new ProtocolException("received " + buffer.size() + " body bytes, Content-Length is " + declared);
        }
        return buffer.readByteArray();
    }

    private static boolean isTransient(int code) {
        return code == 408 || code == 429 || (code >= 500 && code <= 599);
    }

    /** Network trouble is worth retrying; a refused certificate or an oversized answer will not change. */
    private static boolean isTransient(IOException e) {
        return !(e instanceof NotRetryable) && !isCertificateProblem(e);
    }

    private static boolean isCertificateProblem(IOException e) {
        if (e instanceof SSLPeerUnverifiedException) { // okhttp's host name check
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GeneralSecurityException) { // CertificateException, CertPathValidatorException, ...
                return true;
            }
        }
        return false;
    }

    private static long retryAfterMillis(Response response) {
        String value = response.header("Retry-After");
        if (value == null) {
            return 0;
        }
        try {
            // Clamped so that the product cannot overflow; the HTTP-date form is not worth supporting.
            return Math.min(Math.max(0, Long.parseLong(value.trim())), 86_400) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "HTTP 503 Service Unavailable"; HTTP/2 has no reason phrase, so just "HTTP 503" there. */
    private static String status(int code, String reason) {
        return reason.isEmpty() ? "HTTP " + code : "HTTP " + code + " " + reason;
    }

    private static String describe(Request request) {
        return request.method() + " " + display(request.url());
    }

    /** One line naming the failure, e.g. "SocketTimeoutException: timeout". */
    private static String describe(IOException e) {
        String message = e.getMessage();
        String name = e.getClass().getSimpleName();
        String text = e instanceof NotRetryable
                ? message
                : message == null || message.isBlank() ? name : name + ": " + message;
        if (isCertificateProblem(e)) {
            text += " (TLS: the server's certificate is not trusted or not issued for this host)";
        }
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    private static void pause(long millis) throws InterruptedIOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    private static Headers parseHeaders(HttpStoreOptions options) {
        Headers.Builder headers = new Headers.Builder();
        for (String line : options.headers()) {
            try {
                headers.add(line);
            } catch (IllegalArgumentException e) {
                // Only the name: the value may be a secret.
                String name = line.substring(0, line.indexOf(':')).trim();
                throw new IllegalArgumentException("bad header '" + name + "': " + e.getMessage(), e);
            }
        }
        return headers.build();
    }

    /** A transient HTTP status (5xx, 408, 429), carried out of {@link #exchange} to the retry loop. */
    private static final class RetryableStatus extends IOException {
        private static final long serialVersionUID = 1L;

        final long retryAfterMillis;

        RetryableStatus(String status, long retryAfterMillis) {
            super(status);
            this.retryAfterMillis = retryAfterMillis;
        }
    }

    /** A failure that repeating the request cannot fix. */
    private static final class NotRetryable extends IOException {
        private static final long serialVersionUID = 1L;

        NotRetryable(String message) {
            super(message);
        }
    }
}
