package dev.jcasync.store.http;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.RemoteOptions;
import dev.jcasync.store.StoreProvider;
import java.io.IOException;

/**
 * Opens {@code http://} and {@code https://} locations for {@link dev.jcasync.store.Stores}
 * (registered in {@code META-INF/services}): stores as {@link HttpStore}, index files with one
 * GET through an {@link HttpTransport} (retries and TLS options as for chunks).
 */
public final class HttpStoreProvider implements StoreProvider {
    /** casync's test for an HTTP(S) URL ({@link HttpStore#isHttpUrl}). */
    @Override
    public boolean accepts(String location) {
        return HttpStore.isHttpUrl(location);
    }

    @Override
    public String description() {
        return "http(s)://";
    }

    @Override
    public ChunkStore open(String location, RemoteOptions options) throws IOException {
        return new HttpStore(location, HttpStoreOptions.from(options));
    }

    @Override
    public byte[] readFile(String location, RemoteOptions options) throws IOException {
        try (HttpTransport http = new HttpTransport(HttpStoreOptions.from(options))) {
            return http.getResource(location);
        }
    }
}
