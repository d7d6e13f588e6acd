package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.Stores;
import java.io.IOException;
import java.nio.file.Files;

/** The one local store directory that a maintenance command (verify, prune) or serve works on. */
final class LocalStoreArg {
    private LocalStoreArg() {}

    /**
     * The {@code --store} (the last one given wins, as casync); without one, $CASYNC_STORE, else (if {@code index} is given)
     * default.castr beside it as casync does.
     */
    static LocalStore of(StoreOptions options, String index, String command) throws IOException {
        return of(options, index, command, false);
    }

    /** {@link #of(StoreOptions, String, String)}, creating the directory if {@code create}. */
    static LocalStore of(StoreOptions options, String index, String command, boolean create) throws IOException {
        String env = System.getenv("CASYNC_STORE");
        if (options.stores.isEmpty() && index == null && (env == null || env.isEmpty())) {
            throw new IllegalArgumentException(command + " needs --store=DIR");
        }
        String location =
                options.stores.isEmpty() ? Stores.defaultStore(index) : options.stores.get(options.stores.size() - 1);
        ChunkStore store = options.openOne(location);
        if (!(store instanceof LocalStore local)) {
            store.close();
            throw new IllegalArgumentException("store " + location + ": " + command + " needs a local store directory");
        }
        if (create) {
            Files.createDirectories(local.root());
        } else if (!Files.isDirectory(local.root())) {
            throw new IOException("store " + local.root() + ": no such directory");
        }
        return local;
    }
}
