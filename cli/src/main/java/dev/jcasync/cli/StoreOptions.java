package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.LocalStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --store}, shared by the commands that read or write chunks. */
final class StoreOptions {
    @Option(names = "--store", paramLabel = "STORE",
            description = "Chunk store directory (repeatable when reading: tried in order). "
                    + "Default: $CASYNC_STORE, else default.castr beside the index.")
    List<String> stores = new ArrayList<>();

    /** The stores given, or casync's default store for {@code index} (FORMAT.md 7.2). */
    List<ChunkStore> open(Path index) {
        List<String> locations = stores.isEmpty() ? List.of(defaultStore(index)) : stores;
        List<ChunkStore> result = new ArrayList<>();
        for (String location : locations) {
            result.add(openOne(location));
        }
        return result;
    }

    static String defaultStore(Path index) {
        String env = System.getenv("CASYNC_STORE");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Path dir = index.toAbsolutePath().getParent();
        return dir.resolve("default.castr").toString();
    }

    private static ChunkStore openOne(String location) {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file://")) {
            throw new IllegalArgumentException("store " + location + ": remote stores are not supported yet");
        }
        String path = location.startsWith("file://") ? location.substring("file://".length()) : location;
        return new LocalStore(Path.of(path));
    }
}
