package dev.jcasync.store.s3;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.StoreProvider;
import java.io.IOException;

/**
 * Opens {@code s3+http://HOST[:PORT]/BUCKET[/PREFIX]} and {@code s3+https://...} locations for
 * {@link dev.jcasync.store.Stores} (registered in {@code META-INF/services}): stores as
 * {@link S3Store}, index files ({@code s3+https://HOST/BUCKET/KEY.caibx}) with one GetObject.
 * Of {@link RemoteOptions}, the retries and the timeout apply; HTTP headers and TLS files are
 * the http(s) stores' (an S3 endpoint's certificate is checked against the system's CAs).
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
    public ChunkStore open(String location, RemoteOptions options) {
        return new S3Store(location, options);
    }

    /** The object {@code s3+http(s)://HOST[:PORT]/BUCKET/KEY}; a missing one is an error naming it. */
    @Override
    public byte[] readFile(String location, RemoteOptions options) throws IOException {
        S3Location where = S3Location.parse(location);
        if (where.prefix().isEmpty()) {
            throw new IllegalArgumentException(location + ": names a bucket, not a file");
        }
        // The file's key is the store's "prefix": a store rooted there reads it.
        try (S3Store store = new S3Store(location, options)) {
            return store.getObject(where.prefix(), where.prefix())
                    .orElseThrow(() -> new IOException(location + ": no such object"));
        }
    }
}
