package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.nio.file.Files;

/** The one existing local store directory that a maintenance command (verify, prune) works on. */
final class LocalStoreArg {
    private LocalStoreArg() {}

    /**
     * The single {@code --store}; without one, $CASYNC_STORE, else (if {@code index} is given)
     * default.castr beside it as casync does.
     */
    static LocalStore of(StoreOptions options, String index, String command) throws IOException {
        if (options.stores.size() > 1) {
            throw new IllegalArgumentException(command + " takes a single --store");
        }
        String env = System.getenv("CASYNC_STORE");
        String location;
        if (!options.stores.isEmpty()) {
            location = options.stores.get(0);
        } else if (index != null || (env != null && !env.isEmpty())) {
            location = StoreOptions.defaultStore(index == null ? "." : index);
        } else {
            throw new IllegalArgumentException(command + " needs --store=DIR");
        }
        ChunkStore store = options.openOne(location);
        if (!(store instanceof LocalStore local)) {
            store.close();
            throw new IllegalArgumentException("store " + location + ": " + command + " needs a local store directory");
        }
        if (!Files.isDirectory(local.root())) {
            throw new IOException("store " + local.root() + ": no such directory");
        }
        return local;
    }
}
