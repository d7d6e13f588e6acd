package dev.jcasync.store;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * Where a library user starts: opens stores and reads indexes by location, as the command line
 * does. A location is a directory (or {@code file://} URL), or a URL that a {@link StoreProvider}
 * on the class path handles ({@code http(s)://} with jcasync-store-http).
 */
public final class Stores {
    /** The name of casync's default store, beside the index. */
    public static final String DEFAULT_STORE = "default.castr";
    /** Anything of the form {@code scheme://...} (RFC 3986 scheme). */
    private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*", Pattern.DOTALL);

    private static final String FILE_URL = "file://";

    private Stores() {}

    /** {@link #open(String, RemoteOptions)} with {@link RemoteOptions#defaults()}. */
    public static ChunkStore open(String location) throws IOException {
        return open(location, RemoteOptions.defaults());
    }

    /**
     * The store at {@code location}: a {@link LocalStore} for a directory or {@code file://} URL,
     * else what the {@link StoreProvider} that accepts the URL opens.
     *
     * @throws IllegalArgumentException if no provider handles the URL's scheme, or the location is malformed
     * @throws IOException if the store cannot be set up
     */
    public static ChunkStore open(String location, RemoteOptions options) throws IOException {
        StoreProvider provider = providerFor(location);
        if (provider != null) {
            return provider.open(location, options);
        }
        return new LocalStore(localPath(location, "store"));
    }

    /** Opens every location, in order; if one fails, those already open are closed. */
    public static List<ChunkStore> openAll(List<String> locations, RemoteOptions options) throws IOException {
        List<ChunkStore> opened = new ArrayList<>();
        try {
            for (String location : locations) {
                opened.add(open(location, options));
            }
        } catch (IOException | RuntimeException e) {
            try {
                closeAll(opened);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return opened;
    }

    /** Reads the {@code .caibx} index at {@code location}: a file, or a URL that a {@link StoreProvider} handles. */
    public static BlobIndex readIndex(String location, RemoteOptions options) throws IOException {
        StoreProvider provider = providerFor(location);
        if (provider != null) {
            return IndexReader.parse(provider.readFile(location, options), location);
        }
        return IndexReader.read(localPath(location, "index"));
    }

    /**
     * casync's default store for the index at {@code index} (docs/format.md 7.2): {@code $CASYNC_STORE}
     * if set, else {@code default.castr} beside the index, for a URL too.
     */
    public static String defaultStore(String index) {
        return defaultStore(index, System.getenv("CASYNC_STORE"));
    }

    /** {@link #defaultStore(String)} with {@code casyncStore} in place of {@code $CASYNC_STORE} (null: unset). */
    public static String defaultStore(String index, String casyncStore) {
        if (casyncStore != null && !casyncStore.isEmpty()) {
            return casyncStore;
        }
        if (isUrl(index) && !index.startsWith(FILE_URL)) {
            String base = index.split("[?;]", 2)[0]; // neither query nor parameters belong to the path
            return base.substring(0, base.lastIndexOf('/') + 1) + DEFAULT_STORE;
        }
        Path dir = localPath(index, "index").toAbsolutePath().getParent();
        return dir.resolve(DEFAULT_STORE).toString();
    }

    /** The store backends on the class path. */
    public static List<StoreProvider> providers() {
        List<StoreProvider> found = new ArrayList<>();
        ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader()).forEach(found::add);
        return found;
    }

    private static StoreProvider providerFor(String location) {
        if (!isUrl(location) || location.startsWith(FILE_URL)) {
            return null;
        }
        List<StoreProvider> providers = providers();
        for (StoreProvider p : providers) {
            if (p.accepts(location)) {
                return p;
            }
        }
        return null;
    }

    /** The path a location names: itself, or a {@code file://} URL's path; any other URL is refused. */
    private static Path localPath(String location, String what) {
        if (location.startsWith(FILE_URL)) {
            return Path.of(location.substring(FILE_URL.length()));
        }
        if (isUrl(location)) {
            throw new IllegalArgumentException(what + " " + location + ": unsupported URL scheme ("
                    + (what.equals("store") ? "use a directory" : "use a file") + supportedUrls() + ")");
        }
        return Path.of(location);
    }

    private static String supportedUrls() {
        List<StoreProvider> providers = providers();
        if (providers.isEmpty()) {
            return ", or put a store backend such as jcasync-store-http on the class path";
        }
        StringBuilder sb = new StringBuilder();
        for (StoreProvider p : providers) {
            sb.append(" or ").append(p.description());
        }
        return sb.toString();
    }

    private static boolean isUrl(String location) {
        return URL.matcher(location).matches();
    }

    /** Closes every one of {@code closeables}, even if some fail; the first failure is thrown, the others suppressed in it. */
    public static void closeAll(List<? extends Closeable> closeables) throws IOException {
        IOException failure = null;
        for (Closeable c : closeables) {
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
