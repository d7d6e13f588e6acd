package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
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
        return open(index.toString());
    }

    List<ChunkStore> open(String index) {
        List<String> locations = stores.isEmpty() ? List.of(defaultStore(index)) : stores;
        List<ChunkStore> result = new ArrayList<>();
        for (String location : locations) {
            result.add(openOne(location));
        }
        return result;
    }

    static String defaultStore(String index) {
        String env = System.getenv("CASYNC_STORE");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Path dir = Path.of(index).toAbsolutePath().getParent();
        return dir.resolve("default.castr").toString();
    }

    /** Reads the index from a file (an http(s) URL once remote stores are wired in). */
    BlobIndex readIndex(String index) throws IOException {
        return IndexReader.read(Path.of(index));
    }

    private static ChunkStore openOne(String location) {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !location.startsWith("file://")) {
            throw new IllegalArgumentException("store " + location + ": remote stores are not supported yet");
        }
        String path = location.startsWith("file://") ? location.substring("file://".length()) : location;
        return new LocalStore(Path.of(path));
    }
}
