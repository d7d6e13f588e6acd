package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/**
 * Puts chunks into a store unless it holds them already (store or skip), the way every writer
 * (make, chop, cache, an upload to the chunk server) does. One look per chunk, and the chunk
 * file is made only when needed. In a {@link MaintainableStore} the look is a
 * {@link MaintainableStore#touch touch}, so a chunk found present is marked in use and a prune
 * that started earlier keeps it; a chunk that is stored is new, so it is kept too. Safe for
 * concurrent use.
 */
public final class ChunkWriter {
    /** Makes the chunk file to store; called only if the store lacks the chunk. */
    @FunctionalInterface
    public interface FileMaker {
        ChunkFile make() throws IOException;
    }

    private final ChunkStore store;
    private final MaintainableStore maintainable;

    public ChunkWriter(ChunkStore store) {
        this.store = store;
        this.maintainable = store instanceof MaintainableStore m ? m : null;
    }

    /** True if the store holds the chunk; where it can, the chunk is marked in use. */
    public boolean present(ChunkId id) throws IOException {
        return maintainable != null ? maintainable.touch(id) : store.has(id);
    }

    /** Stores the file {@code maker} makes unless the store holds the chunk. Returns true if it was stored. */
    public boolean putIfAbsent(ChunkId id, FileMaker maker) throws IOException {
        if (present(id)) {
            return false;
        }
        ChunkFile file = maker.make();
        if (maintainable != null) {
            maintainable.write(id, file); // it has just looked
        } else {
            store.put(id, file);
        }
        return true;
    }

    /** Encodes the chunk in {@code compression} and stores it, unless the store holds it. Returns true if it was stored. */
    public boolean putIfAbsent(ChunkId id, byte[] data, int offset, int length, Compression compression)
            throws IOException {
        return putIfAbsent(id, () -> ChunkCodec.encode(data, offset, length, compression));
    }
}
