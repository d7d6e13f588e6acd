package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * A place chunk files are read from (desync's {@code Store}). Implementations must be safe for
 * concurrent use and must never expose a partially written chunk.
 */
public interface ReadStore extends Closeable {
    /**
     * The chunk's file, or empty if this store does not hold it. Not verified unless the store says
     * so (see {@link ChunkSource}); {@link ChunkVerifier} checks a file.
     */
    Optional<ChunkFile> get(ChunkId id) throws IOException;

    /**
     * {@link #get(ChunkId)} for a chunk the index says is {@code size} bytes ({@code -1}: unknown):
     * a store that can see a file's size before reading it refuses one larger than such a chunk can
     * take ({@link ChunkCodec#maxFileBytes}) with a {@link CorruptChunkException}, so that memory
     * follows the index, not what the store holds.
     */
    default Optional<ChunkFile> get(ChunkId id, int size) throws IOException {
        return get(id);
    }

    boolean has(ChunkId id) throws IOException;

    /** The size of the chunk's file as stored (what a fetch transfers), or -1 if absent. */
    default long sizeOf(ChunkId id) throws IOException {
        return get(id).map(f -> (long) f.bytes().length).orElse(-1L);
    }

    /**
     * How many more times a copy that fails verification is fetched again before this store is
     * given up for that chunk: 0 for local stores, the retry count for remote ones (a transfer
     * can corrupt what the server holds intact).
     */
    default int refetchesOnCorruption() {
        return 0;
    }

    /** True if reading from this store goes over the network (counted as transfer in reports). */
    default boolean isRemote() {
        return false;
    }

    /** Where the store is, for messages. */
    String location();

    @Override
    default void close() throws IOException {}
}
