package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.Stores;
import java.io.IOException;
import java.util.List;

/** The stores a command opened, in lookup order, closed together (HTTP stores hold connections). */
record OpenStores(List<ChunkStore> list) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        Stores.closeAll(list);
    }
}
