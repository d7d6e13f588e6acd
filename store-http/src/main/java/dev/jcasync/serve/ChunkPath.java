package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.LocalStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A request path naming one chunk file: exactly {@code /<4 hex>/<64 hex>.cacnk} (compressed) or
 * {@code /<4 hex>/<64 hex>} (raw), lowercase, the prefix matching the id (FORMAT.md 6.1, 7.8).
 * The file to serve is derived from the parsed id alone, never from the request text, so no
 * request can name anything outside the store.
 */
record ChunkPath(ChunkId id, boolean compressed) {
    private static final int PREFIX = 4;
    private static final int HEX = 2 * ChunkId.LENGTH;

    /** The chunk named by a raw (still percent-encoded) request path, or empty if it is not exactly one. */
    static Optional<ChunkPath> parse(String rawPath) {
        if (rawPath == null || rawPath.length() < 1 + PREFIX + 1 + HEX || rawPath.charAt(0) != '/'
                || rawPath.charAt(1 + PREFIX) != '/') {
            return Optional.empty();
        }
        String prefix = rawPath.substring(1, 1 + PREFIX);
        String name = rawPath.substring(2 + PREFIX);
        boolean compressed = name.endsWith(LocalStore.COMPRESSED_SUFFIX);
        String hex = compressed ? name.substring(0, name.length() - LocalStore.COMPRESSED_SUFFIX.length()) : name;
        if (!ChunkId.isValidHex(hex) || !hex.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of(new ChunkPath(ChunkId.parse(hex), compressed));
    }

    /** The file in {@code store} that this path names. */
    Path file(LocalStore store) {
        return compressed ? store.compressedPath(id) : store.rawPath(id);
    }
}
