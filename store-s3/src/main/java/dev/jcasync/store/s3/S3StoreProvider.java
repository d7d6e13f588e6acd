package dev.jcasync.store.s3;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.StoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Opens {@code s3+http://HOST[:PORT]/BUCKET[/PREFIX]} and {@code s3+https://...} locations for
 * {@link dev.jcasync.store.Stores} (registered in {@code META-INF/services}): stores as
 * {@link S3Store}, index files ({@code s3+https://HOST/BUCKET/KEY.caibx}) with one GetObject.
 * Every {@link RemoteOptions} applies: retries, timeout, extra headers (signed with the request),
 * and the TLS files (a CA to trust besides the system's, a client certificate).
 */
public final class S3StoreProvider implements StoreProvider {
    @Override
    public boolean accepts(String location) {
        return S3Location.accepts(location);
    }

    @Override
    public String description() {
        return "s3+http(s)://";
    }

    @Override
    public ChunkStore open(String location, RemoteOptions options) throws IOException {
        return store(location, options);
    }

    private static S3Store store(String location, RemoteOptions options) throws IOException {
        try {
            return new S3Store(location, options);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a TLS file that cannot be used
        }
    }

    /** The object {@code s3+http(s)://HOST[:PORT]/BUCKET/KEY}; a missing one is an error naming it. */
    @Override
    public byte[] readFile(String location, RemoteOptions options) throws IOException {
        S3Location where = S3Location.parse(location);
        if (where.prefix().isEmpty()) {
            throw new IllegalArgumentException(location + ": names a bucket, not a file");
        }
        // The file's key is the store's "prefix": a store rooted there reads it.
        try (S3Store store = store(location, options)) {
            return store.getObject(where.prefix(), where.prefix())
                    .orElseThrow(() -> new IOException(location + ": no such object"));
        }
    }
}
