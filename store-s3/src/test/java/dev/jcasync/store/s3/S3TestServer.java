package dev.jcasync.store.s3;

import dev.jcasync.store.RemoteOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 server for tests: S3Proxy on jclouds' in-memory blob store, bound to 127.0.0.1 on a
 * free port, checking request signatures (AWS v2 or v4) against one key pair. Buckets are created
 * through the blob store, objects only through the S3 API.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "jcasync-test-access-key";
    public static final String SECRET_KEY = "jcasync-test-secret-key-0123456789";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    /** Starts a server; {@link #close} stops it. */
    public static S3TestServer start() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials("unused", "unused")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // The SDK sends checksum headers S3Proxy does not know (x-amz-checksum-crc32 on DeleteObjects); S3
                // takes them.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                context.close();
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3TestServer(context, proxy);
    }

    /** Makes the SDK's default credential chain find this server's keys (system properties), and never ask EC2. */
    public static void useTestCredentials() {
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    public int port() {
        return proxy.getPort();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** {@code s3+http://127.0.0.1:PORT/BUCKET[/PREFIX]}. */
    public String location(String bucket, String prefix) {
        return "s3+http://127.0.0.1:" + port() + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    public void createBucket(String bucket) {
        context.getBlobStore().createContainerInLocation(null, bucket);
    }

    /** A store at {@code bucket/prefix} with this server's keys. */
    public S3Store store(String bucket, String prefix) {
        return new S3Store(S3Location.parse(location(bucket, prefix)), RemoteOptions.defaults(), credentials());
    }

    /** A plain SDK client for this server, to look at and change objects behind a store's back. */
    public S3Client client() {
        S3Location where = S3Location.parse(location("any", ""));
        return S3Store.client(
                where, RemoteOptions.defaults(), credentials(), new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** The keys under {@code prefix} in {@code bucket}, sorted. */
    public List<String> keys(String bucket, String prefix) {
        try (S3Client s3 = client()) {
            List<String> keys = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                    .contents()) {
                keys.add(o.key());
            }
            keys.sort(null);
            return keys;
        }
    }

    /** Copies every object under {@code prefix} to {@code dir} (as {@code aws s3 sync} would), keeping relative names. */
    public void download(String bucket, String prefix, Path dir) throws IOException {
        String start = prefix.isEmpty() ? "" : prefix + "/";
        try (S3Client s3 = client()) {
            for (String key : keys(bucket, start)) {
                Path target = dir.resolve(key.substring(start.length()));
                Files.createDirectories(target.getParent());
                Files.write(
                        target,
                        s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes())
                                .asByteArray());
            }
        }
    }

    /**
     * A server for benchmarks (bench/s3-compare.sh): {@code S3TestServer BUCKET} starts one with
     * that bucket and a counting proxy in front (no faults), prints
     * {@code http://127.0.0.1:PORT http://127.0.0.1:PROXYPORT}, then answers each line "counts" on
     * standard input with the requests the proxy saw since the last time; ends at end of input.
     */
    public static void main(String[] args) throws Exception {
        try (S3TestServer server = start();
                FaultProxy proxy = new FaultProxy(server.port(), path -> false)) {
            server.createBucket(args[0]);
            System.out.println(server.endpoint() + " http://127.0.0.1:" + proxy.port());
            System.out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("counts")) {
                    System.out.println(proxy.takeCounts());
                    System.out.flush();
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping S3Proxy", e);
        } finally {
            context.close();
        }
    }
}
