package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.nio.file.Path;

/**
 * A file in a {@link LocalStore} named like a chunk: {@code <id>.cacnk} (compressed) or
 * {@code <id>} (raw), found in one of the store's prefix directories.
 */
public record StoreFile(Path path, ChunkId id, boolean compressed) {
    /** The chunk file that {@code path} names, or null if its name is not a chunk's. */
    public static StoreFile parse(Path path) {
        String name = path.getFileName().toString();
        boolean compressed = name.endsWith(LocalStore.COMPRESSED_SUFFIX);
        String hex = compressed ? name.substring(0, name.length() - LocalStore.COMPRESSED_SUFFIX.length()) : name;
        return ChunkId.isValidHex(hex) ? new StoreFile(path, ChunkId.parse(hex), compressed) : null;
    }

    /** True if the file is not in the prefix directory its id calls for, so no reader will find it. */
    public boolean misplaced() {
        return !path.getParent().getFileName().toString().equals(id.prefix());
    }
}
