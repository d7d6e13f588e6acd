package dev.jcasync.extract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One place a chunk can come from. Sources are asked in order ({@link #firstOf}); the first that
 * has the chunk supplies it, verified, and records itself as the chunk's source in the tallies.
 * Thread-safe: the fill step asks from many threads at once.
 */
interface ChunkSupplier {
    /** Supplied by a source that only locates chunks (a plan): the chunk is there, its bytes were not read. */
    ByteBuffer LOCATED = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** {@code need}'s bytes (or {@link #LOCATED}), counted at this source; null if this source lacks the chunk. */
    ByteBuffer supply(Need need) throws IOException;

    /** Asks {@code sources} in order. The last one must supply every chunk or throw. */
    static ChunkSupplier firstOf(List<ChunkSupplier> sources) {
        List<ChunkSupplier> all = List.copyOf(sources);
        return need -> {
            for (ChunkSupplier s : all) {
                ByteBuffer data = s.supply(need);
                if (data != null) {
                    return data;
                }
            }
            throw new IllegalStateException("no source for chunk " + need.id);
        };
    }
}
