package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.http.HttpStore;
import dev.jcasync.store.http.HttpStoreOptions;
import dev.jcasync.store.http.HttpTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --store} and the HTTP options, shared by the commands that read or write chunks. */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "STORE",
            description = "Chunk store: a directory or an http(s):// URL (repeatable when reading: tried in order). "
                    + "Default: $CASYNC_STORE, else default.castr beside the index.")
    List<String> stores = new ArrayList<>();

    @Option(names = "--retries", paramLabel = "N", description = "HTTP: retries after a failed request (default ${DEFAULT-VALUE}).")
    int retries = HttpStoreOptions.defaults().retries();

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "HTTP: connect and read timeout (default ${DEFAULT-VALUE}).")
    double timeoutSeconds = HttpStoreOptions.defaults().readTimeout().toMillis() / 1000.0;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = "HTTP: extra request header, e.g. 'Authorization: Bearer T' (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--ca-cert", paramLabel = "PEM", description = "HTTPS: also trust the CA certificate(s) in this file.")
    Path caCert;

    @Option(names = "--client-cert", paramLabel = "PEM", description = "HTTPS: client certificate (and key, unless --client-key).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "PEM", description = "HTTPS: client private key (PKCS#8).")
    Path clientKey;

    /** The stores given, or casync's default store for {@code index} (FORMAT.md 7.2). */
    OpenStores open(Path index) throws IOException {
        return open(index.toString());
    }

    OpenStores open(String index) throws IOException {
        List<String> locations = stores.isEmpty() ? List.of(defaultStore(index)) : stores;
        List<ChunkStore> result = new ArrayList<>();
        try {
            for (String location : locations) {
                result.add(openOne(location));
            }
        } catch (IOException | RuntimeException e) {
            new OpenStores(result).close();
            throw e;
        }
        return new OpenStores(result);
    }

    /** The store a writer (make, chop) writes to: the first one given, or the default for {@code index}. */
    ChunkStore openFirst(String index) throws IOException {
        return openOne(stores.isEmpty() ? defaultStore(index) : stores.get(0));
    }

    HttpStoreOptions httpOptions() {
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be 0 or more, got " + retries);
        }
        if (!(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeoutSeconds);
        }
        HttpStoreOptions o = HttpStoreOptions.defaults()
                .withRetries(retries)
                .withTimeout(Duration.ofMillis((long) (timeoutSeconds * 1000)))
                .withHeaders(headers);
        if (caCert != null) {
            o = o.withCaCertificate(caCert, true);
        }
        if (clientCert != null) {
            o = o.withClientCertificate(clientCert, clientKey);
        }
        return o;
    }

    /** casync's default store: $CASYNC_STORE, else default.castr beside the index (also for URLs). */
    static String defaultStore(String index) {
        String env = System.getenv("CASYNC_STORE");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        if (HttpStore.isHttpUrl(index)) {
            String base = index.split("[?;]", 2)[0];
            return base.substring(0, base.lastIndexOf('/') + 1) + "default.castr";
        }
        Path dir = Path.of(index).toAbsolutePath().getParent();
        return dir.resolve("default.castr").toString();
    }

    /** Reads the index from a file or an http(s) URL. */
    BlobIndex readIndex(String index) throws IOException {
        if (HttpStore.isHttpUrl(index)) {
            try (HttpTransport http = new HttpTransport(httpOptions())) {
                return IndexReader.parse(http.getResource(index), index);
            }
        }
        return IndexReader.read(Path.of(index));
    }

    ChunkStore openOne(String location) throws IOException {
        if (HttpStore.isHttpUrl(location)) {
            return new HttpStore(location, httpOptions());
        }
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file://")) {
            throw new IllegalArgumentException("store " + location + ": unsupported URL scheme (use a directory or http(s)://)");
        }
        String path = location.startsWith("file://") ? location.substring("file://".length()) : location;
        return new LocalStore(Path.of(path));
    }
}
