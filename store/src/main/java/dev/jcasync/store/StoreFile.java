package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;

/**
 * A file of a {@link MaintainableStore} named like a chunk, found by listing the store.
 *
 * @param name the file's name relative to the store, '/'-separated: {@code <4 hex>/<id>.cacnk}
 *     (compressed) or {@code <4 hex>/<id>} (raw); see {@link ChunkLayout}
 */
public record StoreFile(String name, ChunkId id, boolean compressed) {
    /** True if the file is not in the prefix directory its id calls for, so no reader will find it. */
    public boolean misplaced() {
        return !name.equals(ChunkLayout.path(id, compressed));
    }
}
