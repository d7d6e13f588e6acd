package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.StoreFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A request path naming one chunk file: exactly {@code /<4 hex>/<64 hex>.cacnk} (compressed) or
 * {@code /<4 hex>/<64 hex>} (raw), lowercase, the prefix matching the id (docs/format.md 6.1, 7.8;
 * {@link ChunkLayout}). The file to serve is derived from the parsed id alone, never from the
 * request text, so no request can name anything outside the store.
 */
record ChunkPath(ChunkId id, boolean compressed) {
    /** The chunk named by a raw (still percent-encoded) request path, or empty if it is not exactly one. */
    static Optional<ChunkPath> parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        StoreFile file = ChunkLayout.parse(rawPath.substring(1));
        if (file == null || file.misplaced()) {
            return Optional.empty();
        }
        return Optional.of(new ChunkPath(file.id(), file.compressed()));
    }

    /** The file in {@code store} that this path names. */
    Path file(LocalStore store) {
        return store.file(id, compressed);
    }
}
