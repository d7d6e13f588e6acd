package dev.jcasync.store.s3;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.Compression;
import dev.jcasync.store.MaintainableStore;
import dev.jcasync.store.PemTls;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.StoreFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A chunk store in an S3 bucket (or anything speaking the S3 API: MinIO, Ceph, S3Proxy...), laid
 * out as a casync store directory: chunk {@code id} is the object {@code PREFIX/<4 hex>/<id>.cacnk}
 * (see {@link ChunkLayout}), so a store synced to or from a directory or web server stays a store.
 * Requests use path-style addressing, credentials come from the AWS SDK's default chain
 * (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, aws.accessKeyId/aws.secretAccessKey, AWS_PROFILE and the
 * profile files, container and instance credentials), the region from AWS_REGION (else
 * AWS_DEFAULT_REGION, else us-east-1).
 *
 * <p>Failures: 5xx (SlowDown included), throttling and connection errors are retried by the SDK's
 * standard strategy (exponential backoff with jitter, {@link RemoteOptions#retries()} retries), and
 * a body that breaks off or falls short of its Content-Length is fetched again the same number of
 * times. A missing object (404) is absent; a missing bucket or refused credentials is an error that
 * names the store. Every SDK failure is turned into a one-line {@link IOException}.
 *
 * <p>Maintenance ({@link MaintainableStore}): the store is listed with ListObjectsV2, a chunk is
 * marked in use ({@link #touch}) by copying its object onto itself, which gives it a new
 * LastModified, and prune deletes in batches of up to 1000 keys (DeleteObjects). S3 cannot delete
 * "only if still idle", so a touch landing between a prune's look at an object and its deletion
 * would lose: writers and prunes take turns instead ({@link #beginPrune}). A prune puts a mark
 * object at the top of the store and waits {@link #PRUNE_QUIET}; writers look for marks at most
 * every {@link #MARK_CHECK_EVERY} and wait while one is there, and a touch or upload that took
 * longer than {@link #WRITE_DEADLINE} since its look is done again after a new one. So every touch
 * lands either before the prune looks at anything or after it has ended; as on a directory,
 * {@code --grace} covers what makes did before the prune's cutoff.
 */
public final class S3Store implements MaintainableStore {
    /** Listing information older than this is checked again (HEAD) before an object is deleted. */
    static final Duration RECHECK_AFTER = Duration.ofSeconds(10);
    /** DeleteObjects takes at most 1000 keys. */
    static final int DELETE_BATCH = 1000;

    private static final String OCTET_STREAM = "application/octet-stream";

    /**
     * The names of the marks a running prune keeps at the top of the store ({@code PREFIX/.jcasync-prune-<random>}):
     * while one is there, writers wait before they touch or upload (see {@link #beginPrune}).
     */
    static final String PRUNE_MARK = ".jcasync-prune-";
    /** How often a writer looks for prune marks (one ListObjectsV2 request). */
    static final Duration MARK_CHECK_EVERY = Duration.ofSeconds(2);
    /** A touch or upload that ends later than this after the look that let it through is done again after a new look. */
    static final Duration WRITE_DEADLINE = MARK_CHECK_EVERY.plusSeconds(4);
    /** How long a prune waits after setting its mark: every write let through before writers saw it has landed by then. */
    static final Duration PRUNE_QUIET = WRITE_DEADLINE.plusSeconds(1);
    /** A prune renews its mark this often; a mark not renewed for {@link #MARK_STALE} is a crashed prune's and is ignored. */
    static final Duration MARK_RENEW = Duration.ofMinutes(1);

    static final Duration MARK_STALE = Duration.ofMinutes(5);

    private final S3Location where;
    private final S3Client s3;
    private final int retries;
    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    private final AtomicLong bytesReceived = new AtomicLong();
    /** What the last listing said about each key: its size and LastModified, and when it was listed. */
    private final Map<String, Listed> listed = new ConcurrentHashMap<>();
    /** Set once a request has shown the bucket exists (a 404 before that may mean it does not). */
    private volatile boolean bucketSeen;
    /** The default credential chain this store made (it may hold threads), closed with the store. */
    private final AutoCloseable ownedCredentials;

    private record Listed(long size, Instant lastModified, long listedAtNanos) {}

    /** Serialises writers' looks for prune marks, and holds them all back while a prune runs. */
    private final Object markLook = new Object();
    /** When writers last found no prune mark ({@link System#nanoTime}, taken before the look was sent). */
    private long noMarkSeenAt;

    private boolean markSeenOnce;

    static {
        // The JDK keeps 5 idle connections per server by default; up to 16 requests run at once.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "32");
        }
    }

    /** A store at {@code location} ({@code s3+http(s)://HOST[:PORT]/BUCKET[/PREFIX]}) with {@code options}' retries and timeout. */
    public S3Store(String location, RemoteOptions options) {
        this(
                S3Location.parse(location),
                options,
                DefaultCredentialsProvider.builder().build(),
                true);
    }

    /** A store with the given credentials (tests, or a library user with its own credentials). */
    public S3Store(S3Location where, RemoteOptions options, AwsCredentialsProvider credentials) {
        this(where, options, credentials, false);
    }

    private S3Store(S3Location where, RemoteOptions options, AwsCredentialsProvider credentials, boolean own) {
        this.where = where;
        this.retries = options.retries();
        this.ownedCredentials = own && credentials instanceof AutoCloseable c ? c : null;
        this.s3 = client(where, options, credentials, requestsByMethod);
    }

    static S3Client client(
            S3Location where,
            RemoteOptions options,
            AwsCredentialsProvider credentials,
            Map<String, LongAdder> requestsByMethod) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                requestsByMethod
                        .computeIfAbsent(context.httpRequest().method().name(), m -> new LongAdder())
                        .increment();
            }
        };
        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(counter));
        if (!options.headers().isEmpty()) {
            interceptors.add(new ExtraHeaders(options.headers()));
        }
        return S3Client.builder()
                .endpointOverride(where.endpoint())
                .region(Region.of(region()))
                .forcePathStyle(true)
                .credentialsProvider(credentials)
                .httpClientBuilder(tls(
                        UrlConnectionHttpClient.builder()
                                .connectionTimeout(options.timeout())
                                .socketTimeout(options.timeout()),
                        options))
                // Chunks are verified against their ids; the SDK's own checksums (headers many
                // S3-compatible servers refuse) are sent only where the API requires one.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(options.retries() + 1)
                                .circuitBreakerEnabled(false)
                                .build())
                        .executionInterceptors(interceptors))
                .build();
    }

    /**
     * {@code --ca-cert} (trusted besides the system CAs) and {@code --client-cert}/{@code --client-key}
     * (presented when the endpoint asks), as for https:// stores. A file that cannot be used is an
     * {@link UncheckedIOException} naming it (the provider turns it back into an IOException).
     */
    private static UrlConnectionHttpClient.Builder tls(UrlConnectionHttpClient.Builder http, RemoteOptions options) {
        try {
            if (options.caCertificate() != null) {
                X509TrustManager trust = PemTls.trustManager(PemTls.readCertificates(options.caCertificate()), true);
                http.tlsTrustManagersProvider(() -> new TrustManager[] {trust});
            }
            if (options.clientCertificate() != null) {
                List<X509Certificate> chain = PemTls.readCertificates(options.clientCertificate());
                PrivateKey key = PemTls.readPrivateKey(
                        options.clientKey() != null ? options.clientKey() : options.clientCertificate());
                KeyManager[] keys = PemTls.keyManagers(chain, key);
                http.tlsKeyManagersProvider(() -> keys);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return http;
    }

    /**
     * {@code --header} lines, added to every request before it is signed (so they are part of the
     * signature, as S3 wants for {@code x-amz-*} headers); the SDK's own headers win.
     */
    private static final class ExtraHeaders implements ExecutionInterceptor {
        private final List<String[]> headers = new ArrayList<>();

        ExtraHeaders(List<String> lines) {
            for (String line : lines) {
                int colon = line.indexOf(':');
                headers.add(new String[] {
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim()
                });
            }
        }

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest.Builder request = context.httpRequest().toBuilder();
            for (String[] h : headers) {
                if (request.firstMatchingHeader(h[0]).isEmpty()) {
                    request.appendHeader(h[0], h[1]);
                }
            }
            return request.build();
        }
    }

    /** AWS_REGION, else AWS_DEFAULT_REGION, else the aws.region system property, else us-east-1. */
    static String region() {
        for (String candidate : new String[] {
            System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"), System.getProperty("aws.region")
        }) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return "us-east-1";
    }

    public S3Location where() {
        return where;
    }

    @Override
    public String location() {
        return where.toString();
    }

    @Override
    public String toString() {
        return "S3 store " + location();
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    /** A copy damaged in transit may arrive intact next time, so corrupt chunks are fetched again. */
    @Override
    public int refetchesOnCorruption() {
        return retries;
    }

    /** HTTP requests sent so far, retries included. */
    public long requests() {
        return requestsByMethod.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** HTTP requests with {@code method} (GET, HEAD, PUT, POST, DELETE) sent so far, retries included. */
    public long requests(String method) {
        LongAdder n = requestsByMethod.get(method);
        return n == null ? 0 : n.sum();
    }

    /** Object bytes received so far. */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    private String key(ChunkId id) {
        return where.key(ChunkLayout.path(id, true));
    }

    // ---- ReadStore / WriteStore

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        return getObject(key(id), "chunk " + id).map(bytes -> new ChunkFile(bytes, true));
    }

    @Override
    public boolean has(ChunkId id) throws IOException {
        return head(key(id), "chunk " + id) != null;
    }

    /** The object's size from a HEAD request: what a GET would transfer. */
    @Override
    public long sizeOf(ChunkId id) throws IOException {
        HeadObjectResponse head = head(key(id), "chunk " + id);
        return head == null ? -1 : head.contentLength();
    }

    /** Uploads the chunk file; a raw chunk is compressed first, since only {@code .cacnk} names are used (as over HTTP). */
    @Override
    public void put(ChunkId id, ChunkFile file) throws IOException {
        write(id, file);
    }

    @Override
    public void write(ChunkId id, ChunkFile file) throws IOException {
        ChunkFile upload =
                file.compressed() ? file : ChunkCodec.encode(file.bytes(), 0, file.bytes().length, Compression.ZSTD);
        String key = key(id);
        for (long letThrough = awaitNoPrune(false, "chunk " + id); ; letThrough = awaitNoPrune(true, "chunk " + id)) {
            call(
                    "chunk " + id,
                    key,
                    () -> s3.putObject(
                            b -> b.bucket(where.bucket()).key(key).contentType(OCTET_STREAM),
                            RequestBody.fromBytes(upload.bytes())));
            bucketSeen = true;
            if (landedInTime(letThrough)) {
                return;
            }
        }
    }

    /**
     * Marks the chunk in use by copying its object onto itself (a new LastModified, the same bytes):
     * one request, which also tells whether the store holds the chunk.
     */
    @Override
    public boolean touch(ChunkId id) throws IOException {
        for (long letThrough = awaitNoPrune(false, "chunk " + id); ; letThrough = awaitNoPrune(true, "chunk " + id)) {
            boolean present = touchKey(key(id), "chunk " + id);
            if (!present || landedInTime(letThrough)) {
                return present;
            }
            // Too slow to be sure it landed before a prune that may have started meanwhile looked:
            // once no prune runs, again (if that prune deleted the chunk, it is now absent).
        }
    }

    // ---- Writers and prunes: S3 cannot delete "only if not touched since", so they take turns

    /**
     * Waits while a prune runs (a fresh mark at the top of the store), looking at most every
     * {@link #MARK_CHECK_EVERY} ({@code fresh}: now); failures name {@code subject}. Returns when the look that let the caller
     * through was sent; the caller's write must land within {@link #WRITE_DEADLINE} of it.
     */
    private long awaitNoPrune(boolean fresh, String subject) throws IOException {
        synchronized (markLook) {
            while (true) {
                long now = System.nanoTime();
                if (!fresh && markSeenOnce && now - noMarkSeenAt < MARK_CHECK_EVERY.toNanos()) {
                    return noMarkSeenAt;
                }
                long sent = System.nanoTime();
                if (!pruneRunning(subject)) {
                    noMarkSeenAt = sent;
                    markSeenOnce = true;
                    return sent;
                }
                fresh = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for a prune of " + location() + " to end");
                }
            }
        }
    }

    private static boolean landedInTime(long letThrough) {
        return System.nanoTime() - letThrough < WRITE_DEADLINE.toNanos();
    }

    /** True if a prune mark renewed within {@link #MARK_STALE} (by the server's clock) is in the store. */
    private boolean pruneRunning(String subject) throws IOException {
        ListObjectsV2Response marks;
        try {
            marks = call(
                    subject,
                    where.key(PRUNE_MARK),
                    () -> s3.listObjectsV2(b -> b.bucket(where.bucket()).prefix(where.key(PRUNE_MARK))));
        } catch (Missing e) {
            throw noBucket();
        }
        bucketSeen = true;
        Instant serverNow = serverDate(marks.sdkHttpResponse());
        for (S3Object mark : marks.contents()) {
            if (mark.lastModified().isAfter(serverNow.minus(MARK_STALE))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Puts a prune mark (renewed every {@link #MARK_RENEW} until closed), then waits
     * {@link #PRUNE_QUIET}: from then on writers either wait for the prune to end, or landed their
     * touch before the prune looks at the chunk (so it is kept if the touch came after the cutoff).
     */
    @Override
    public Closeable beginPrune() throws IOException {
        String mark = where.key(
                PRUNE_MARK + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        Runnable put = () -> {
            try {
                call(
                        "prune mark",
                        mark,
                        () -> s3.putObject(
                                b -> b.bucket(where.bucket()).key(mark).contentType("text/plain"),
                                RequestBody.fromString("jcasync prune running; writers wait until this is gone\n")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try {
            put.run();
        } catch (UncheckedIOException e) {
            throw e.getCause() instanceof Missing ? noBucket() : e.getCause();
        }
        ScheduledExecutorService renew = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jcasync-prune-mark");
            t.setDaemon(true);
            return t;
        });
        Closeable end = () -> {
            renew.shutdownNow();
            try {
                call(
                        "prune mark",
                        mark,
                        () -> s3.deleteObject(b -> b.bucket(where.bucket()).key(mark)));
            } catch (Missing e) {
                // gone already
            }
        };
        renew.scheduleAtFixedRate(
                () -> {
                    try {
                        put.run();
                    } catch (UncheckedIOException e) {
                        // the next renewal tries again; writers wait for MARK_STALE anyway
                    }
                },
                MARK_RENEW.toMillis(),
                MARK_RENEW.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(PRUNE_QUIET.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end.close();
            throw new InterruptedIOException("interrupted");
        }
        return end;
    }

    private boolean touchKey(String key, String subject) throws IOException {
        try {
            call(
                    subject,
                    key,
                    () -> s3.copyObject(b -> b.sourceBucket(where.bucket())
                            .sourceKey(key)
                            .destinationBucket(where.bucket())
                            .destinationKey(key)
                            .metadataDirective(MetadataDirective.REPLACE)
                            .contentType(OCTET_STREAM)));
            bucketSeen = true;
            return true;
        } catch (Missing e) {
            return false;
        }
    }

    // ---- MaintainableStore

    /**
     * Lists the store (ListObjectsV2, 1000 keys a request) as the stream is read; keys that are not
     * chunk files are left out. A listing that fails midway throws an {@link UncheckedIOException}
     * naming the store.
     */
    @Override
    public Stream<StoreFile> files() throws IOException {
        checkBucket();
        Iterator<S3Object> objects = listing().iterator();
        Iterator<S3Object> guarded = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return objects.hasNext();
                } catch (SdkException e) {
                    throw new UncheckedIOException(failure("listing", where.listPrefix(), e));
                }
            }

            @Override
            public S3Object next() {
                try {
                    return objects.next();
                } catch (SdkException e) {
                    throw new UncheckedIOException(failure("listing", where.listPrefix(), e));
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(guarded, Spliterator.ORDERED), false)
                .map(o -> {
                    StoreFile f = ChunkLayout.parse(where.relative(o.key()));
                    if (f != null) {
                        listed.put(o.key(), new Listed(o.size(), o.lastModified(), System.nanoTime()));
                    }
                    return f;
                })
                .filter(Objects::nonNull)
                .onClose(listed::clear);
    }

    private Iterable<S3Object> listing() {
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(where.bucket())
                .prefix(where.listPrefix())
                .build();
        return s3.listObjectsV2Paginator(request).contents();
    }

    @Override
    public Optional<ChunkFile> read(StoreFile file) throws IOException {
        return getObject(where.key(file.name()), file.name()).map(bytes -> new ChunkFile(bytes, file.compressed()));
    }

    @Override
    public long size(StoreFile file) throws IOException {
        Listed l = listed.get(where.key(file.name()));
        if (l != null) {
            return l.size();
        }
        HeadObjectResponse head = head(where.key(file.name()), file.name());
        return head == null ? -1 : head.contentLength();
    }

    @Override
    public boolean remove(StoreFile file) throws IOException {
        String key = where.key(file.name());
        if (head(key, file.name()) == null) {
            return false;
        }
        try {
            call(
                    file.name(),
                    key,
                    () -> s3.deleteObject(b -> b.bucket(where.bucket()).key(key)));
        } catch (Missing e) {
            return false;
        }
        listed.remove(key);
        return true;
    }

    /** The server's clock (the Date of its answer to HeadBucket), less a second: S3 keeps times to the second. */
    @Override
    public Instant now() throws IOException {
        HeadBucketResponse head;
        try {
            head = call("bucket " + where.bucket(), "", () -> s3.headBucket(b -> b.bucket(where.bucket())));
        } catch (Missing e) {
            throw noBucket();
        }
        bucketSeen = true;
        return serverDate(head.sdkHttpResponse()).minusSeconds(1);
    }

    /** The Date of a server's answer, else this host's clock. */
    private static Instant serverDate(SdkHttpResponse response) {
        Optional<String> date = response.firstMatchingHeader("Date");
        if (date.isPresent()) {
            try {
                return ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
            } catch (DateTimeParseException e) {
                // keep this host's clock
            }
        }
        return Instant.now();
    }

    @Override
    public boolean idleSince(StoreFile file, Instant cutoff) throws IOException {
        Instant modified = lastModified(where.key(file.name()), file.name(), false);
        return modified != null && modified.isBefore(cutoff);
    }

    @Override
    public boolean removeIfIdleSince(StoreFile file, Instant cutoff) throws IOException {
        return !removeAllIfIdleSince(List.of(file), cutoff).isEmpty();
    }

    /**
     * Deletes those of {@code files} idle since {@code cutoff} with DeleteObjects, up to 1000 keys a
     * request. An object listed more than {@link #RECHECK_AFTER} ago is looked at again first.
     */
    @Override
    public List<StoreFile> removeAllIfIdleSince(List<StoreFile> files, Instant cutoff) throws IOException {
        List<StoreFile> removed = new ArrayList<>();
        for (int from = 0; from < files.size(); from += DELETE_BATCH) {
            List<StoreFile> batch = files.subList(from, Math.min(files.size(), from + DELETE_BATCH));
            List<StoreFile> idle = new ArrayList<>();
            for (StoreFile f : batch) {
                Instant modified = lastModified(where.key(f.name()), f.name(), true);
                if (modified != null && modified.isBefore(cutoff)) {
                    idle.add(f);
                }
            }
            if (idle.isEmpty()) {
                continue;
            }
            List<ObjectIdentifier> keys = new ArrayList<>();
            for (StoreFile f : idle) {
                keys.add(ObjectIdentifier.builder().key(where.key(f.name())).build());
            }
            DeleteObjectsResponse answer;
            try {
                answer = call(
                        "deleting " + idle.size() + " chunk files",
                        "",
                        () -> s3.deleteObjects(b -> b.bucket(where.bucket())
                                .delete(Delete.builder()
                                        .objects(keys)
                                        .quiet(false)
                                        .build())));
            } catch (Missing e) {
                throw noBucket();
            }
            if (answer.hasErrors() && !answer.errors().isEmpty()) {
                var first = answer.errors().get(0);
                throw new IOException(
                        "store " + location() + ": " + answer.errors().size() + " of " + idle.size()
                                + " deletions failed, first " + where.relative(first.key()) + ": " + first.code() + " "
                                + first.message());
            }
            for (StoreFile f : idle) {
                listed.remove(where.key(f.name()));
                removed.add(f);
            }
        }
        return removed;
    }

    /**
     * Writers here do not leave temporary objects (a PUT is atomic), but casync's and desync's
     * temporary file names may have been copied in from a directory: those older than
     * {@code olderThan} are deleted.
     */
    @Override
    public long removeTempFiles(Instant olderThan, boolean dryRun) throws IOException {
        List<ObjectIdentifier> stale = new ArrayList<>();
        try {
            for (S3Object o : listing()) {
                String relative = where.relative(o.key());
                int slash = relative.indexOf('/');
                if (slash == 4
                        && ChunkLayout.isPrefixDirectory(relative.substring(0, 4))
                        && ChunkLayout.isTempName(relative.substring(5))
                        && o.lastModified().isBefore(olderThan)) {
                    stale.add(ObjectIdentifier.builder().key(o.key()).build());
                }
            }
        } catch (SdkException e) {
            throw failure("listing", where.listPrefix(), e);
        }
        if (!dryRun) {
            for (int from = 0; from < stale.size(); from += DELETE_BATCH) {
                List<ObjectIdentifier> batch = stale.subList(from, Math.min(stale.size(), from + DELETE_BATCH));
                try {
                    call(
                            "deleting temporary files",
                            "",
                            () -> s3.deleteObjects(b -> b.bucket(where.bucket())
                                    .delete(Delete.builder()
                                            .objects(batch)
                                            .quiet(true)
                                            .build())));
                } catch (Missing e) {
                    throw noBucket();
                }
            }
        }
        return stale.size();
    }

    @Override
    public void close() {
        s3.close();
        if (ownedCredentials != null) {
            try {
                ownedCredentials.close();
            } catch (Exception e) {
                // nothing left to do with it
            }
        }
    }

    // ---- reading a whole object: StoreProvider.readFile too

    /** The whole object at {@code key}, or empty if there is none; a body cut short is fetched again. */
    Optional<byte[]> getObject(String key, String subject) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ResponseInputStream<GetObjectResponse> in;
            try {
                in = call(
                        subject,
                        key,
                        () -> s3.getObject(b -> b.bucket(where.bucket()).key(key)));
            } catch (Missing e) {
                return Optional.empty();
            }
            bucketSeen = true;
            String problem;
            try {
                Long declared = in.response().contentLength();
                byte[] body = readAll(in);
                if (declared == null || declared == body.length) {
                    in.close();
                    return Optional.of(body);
                }
                problem = "received " + body.length + " of " + declared + " bytes";
            } catch (IOException | UncheckedIOException | SdkException e) {
                problem = rootMessage(e);
            }
            in.abort(); // the connection is in an unknown state: not back to the pool
            if (attempt > retries) {
                throw new IOException(describe(subject) + ": transfer failed after " + attempt
                        + (attempt == 1 ? " attempt: " : " attempts: ") + problem);
            }
            pause(attempt - 1);
        }
    }

    private byte[] readAll(ResponseInputStream<GetObjectResponse> in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            bytesReceived.addAndGet(n);
        }
        return out.toByteArray();
    }

    private void pause(int attempt) throws InterruptedIOException {
        long cap = Math.min(20_000, 100L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    private HeadObjectResponse head(String key, String subject) throws IOException {
        try {
            HeadObjectResponse head = call(
                    subject,
                    key,
                    () -> s3.headObject(b -> b.bucket(where.bucket()).key(key)));
            bucketSeen = true;
            return head;
        } catch (Missing e) {
            return null;
        }
    }

    /** LastModified, from the listing if it is recent (or {@code fresh} is false), else from a HEAD; null if gone. */
    private Instant lastModified(String key, String subject, boolean fresh) throws IOException {
        Listed l = listed.get(key);
        if (l != null && (!fresh || System.nanoTime() - l.listedAtNanos() < RECHECK_AFTER.toNanos())) {
            return l.lastModified();
        }
        HeadObjectResponse head = head(key, subject);
        return head == null ? null : head.lastModified();
    }

    // ---- errors

    /** An SDK call that may fail with a {@link SdkException}. */
    @FunctionalInterface
    private interface Call<T> {
        T run();
    }

    /** A 404 for an object: absent (thrown only once the bucket is known to exist). */
    private static final class Missing extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Runs {@code call}; a 404 is {@link Missing}, any other failure a one-line IOException naming the store. */
    private <T> T call(String subject, String key, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 410) {
                String code =
                        e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                if ("NoSuchBucket".equals(code)) {
                    throw noBucket();
                }
                // A HEAD's 404 has no body to tell a missing object from a missing bucket: look once.
                checkBucket();
                throw new Missing();
            }
            throw failure(subject, key, e);
        } catch (SdkException e) {
            throw failure(subject, key, e);
        }
    }

    /** Makes sure the bucket exists, once: a 404 from HEAD cannot tell. */
    private void checkBucket() throws IOException {
        if (bucketSeen) {
            return;
        }
        try {
            s3.headBucket(b -> b.bucket(where.bucket()));
            bucketSeen = true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw noBucket();
            }
            throw failure("bucket " + where.bucket(), "", e);
        } catch (SdkException e) {
            throw failure("bucket " + where.bucket(), "", e);
        }
    }

    private IOException noBucket() {
        return new IOException(
                "store " + location() + ": no such bucket '" + where.bucket() + "' at " + where.endpoint());
    }

    private String describe(String subject) {
        return "store " + location() + ": " + subject;
    }

    /** One line naming the store and what failed. */
    IOException failure(String subject, String key, SdkException e) {
        if (e instanceof S3Exception s) {
            String code =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String message =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            String what = "S3 answered " + s.statusCode() + (code == null ? "" : " " + code)
                    + (message == null || message.isBlank() ? "" : ": " + message);
            if (s.statusCode() == 403) {
                return new IOException(
                        describe(subject) + ": access denied (" + what
                                + "); check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and the bucket's policy");
            }
            return new IOException(describe(subject) + ": " + what, e);
        }
        if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new IOException(describe(subject) + ": no AWS credentials found (set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)");
        }
        return new IOException(describe(subject) + ": " + rootMessage(e), e);
    }

    /** The innermost cause's message, on one line. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t != e) {
            m = t.getClass().getSimpleName() + ": " + m;
        }
        return m.replace('\n', ' ');
    }
}
