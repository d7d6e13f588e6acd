package dev.jcasync.index;

import dev.jcasync.chunker.ChunkId;

/** One chunk of an indexed blob: where it starts, how long it is, and its id. */
public record IndexEntry(long offset, int size, ChunkId id) {
    public long end() {
        return offset + size;
    }
}
