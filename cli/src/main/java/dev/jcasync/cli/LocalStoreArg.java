package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.MaintainableStore;
import dev.jcasync.store.Stores;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The one store that a maintenance command (verify, prune, gc) or serve works on: a local store
 * directory, or for maintenance any store that can be listed and pruned (S3).
 */
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
        String location = location(options, index, command);
        ChunkStore store = options.openOne(location);
        if (!(store instanceof LocalStore local)) {
            store.close();
            throw new IllegalArgumentException("store " + location + ": " + command + " needs a local store directory"
                    + (command.equals("serve") ? " (or --cache=DIR to serve it through)" : ""));
        }
        return checked(local, create);
    }

    /**
     * The store to verify or prune, found as {@link #of(StoreOptions, String, String)} finds it: a
     * local directory (which must exist), or a remote store that can be maintained (s3+http(s)://).
     * The caller closes it.
     */
    static MaintainableStore maintainable(StoreOptions options, String index, String command) throws IOException {
        String location = location(options, index, command);
        ChunkStore store = options.openOne(location);
        if (store instanceof LocalStore local) {
            return checked(local, false);
        }
        if (store instanceof MaintainableStore maintainable) {
            return maintainable;
        }
        store.close();
        throw new IllegalArgumentException("store " + location + ": " + command
                + " needs a local store directory or a store it can list (s3+http(s)://)");
    }

    /** How messages and JSON name the store: a directory as its path, anything else by its location. */
    static String display(MaintainableStore store) {
        return store instanceof LocalStore local ? local.root().toString() : store.location();
    }

    /** The {@code --store} a one-store command works on (the last given), else $CASYNC_STORE, else the one beside {@code index}. */
    static String location(StoreOptions options, String index, String command) {
        String env = System.getenv("CASYNC_STORE");
        if (options.stores.isEmpty() && index == null && (env == null || env.isEmpty())) {
            throw new IllegalArgumentException(command + " needs --store=DIR");
        }
        return options.stores.isEmpty() ? Stores.defaultStore(index) : options.stores.get(options.stores.size() - 1);
    }

    private static LocalStore checked(LocalStore local, boolean create) throws IOException {
        if (create) {
            Files.createDirectories(local.root());
        } else if (!Files.isDirectory(local.root())) {
            throw new IOException("store " + local.root() + ": no such directory");
        }
        return local;
    }
}
