package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.util.List;

/** The stores a command opened, in lookup order, closed together (HTTP stores hold connections). */
record OpenStores(List<ChunkStore> list) implements AutoCloseable {
    @Override
    public void close() throws IOException {
        for (ChunkStore s : list) {
            s.close();
        }
    }
}
