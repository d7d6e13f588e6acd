package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A store that can be verified and pruned (desync's {@code PruneStore}): its chunk files can be
 * listed, read, deleted and marked as in use. {@link dev.jcasync.maintain.Verifier} and
 * {@link dev.jcasync.maintain.Pruner} need only this, so any backend that implements it can be
 * maintained; {@link ChunkWriter} uses {@link #touch} so that a prune running at the same time
 * never takes a chunk a writer has just found present.
 *
 * <p>The prune protocol: a prune takes a cutoff from {@link #now()} when it starts and deletes
 * only files {@link #idleSince idle since} then. A writer either stores a chunk anew (younger than
 * the cutoff) or finds it present with {@link #touch}, which makes it younger too; a touch that
 * races with {@link #removeIfIdleSince} must win.
 */
public interface MaintainableStore extends ChunkStore {
    /**
     * Every chunk-named file of the store, in no particular order (casync's known-missing marks,
     * temporary files and other names are left out). The stream must be closed.
     */
    Stream<StoreFile> files() throws IOException;

    /**
     * Chunk-named entries that cannot be chunk files (directories, FIFOs, links): left out of
     * {@link #files}, reported by a verify. None by default (object stores hold only objects).
     */
    default Stream<StoreFile> strayEntries() throws IOException {
        return Stream.empty();
    }

    /**
     * What is wrong with a listed entry that can be told before reading it (not a regular file,
     * larger than any chunk file), or null. By default nothing: the read tells.
     */
    default String problem(StoreFile file) throws IOException {
        return null;
    }

    /** The content of a listed file, or empty if it is gone. */
    Optional<ChunkFile> read(StoreFile file) throws IOException;

    /** The size of a listed file in bytes, or -1 if it is gone. */
    long size(StoreFile file) throws IOException;

    /** Deletes one file (a corrupt or misplaced chunk file); false if it was gone already. */
    boolean remove(StoreFile file) throws IOException;

    /**
     * Marks the chunk as in use, so that a prune that started earlier keeps it (as git freshens
     * objects it reuses). Returns false if the store does not hold the chunk: the one look a writer
     * needs before it {@link #write}s.
     */
    boolean touch(ChunkId id) throws IOException;

    /** Writes the chunk file whether or not the store holds it (for a writer that has just looked with {@link #touch}). */
    void write(ChunkId id, ChunkFile file) throws IOException;

    /** The current time by the store's own clock: what the times of files written from now on are compared with. */
    Instant now() throws IOException;

    /** True if the file was last changed before {@code cutoff}; false if it is younger, or gone. */
    boolean idleSince(StoreFile file, Instant cutoff) throws IOException;

    /**
     * Deletes the file if it is {@link #idleSince idle since} {@code cutoff}. A writer that
     * {@link #touch}es the chunk at the same moment wins. Returns true if the file was deleted.
     */
    boolean removeIfIdleSince(StoreFile file, Instant cutoff) throws IOException;

    /**
     * {@link #removeIfIdleSince} for several files at once, for stores that delete in batches (S3's
     * DeleteObjects); returns the files deleted. By default one at a time.
     */
    default List<StoreFile> removeAllIfIdleSince(List<StoreFile> files, Instant cutoff) throws IOException {
        List<StoreFile> removed = new ArrayList<>();
        for (StoreFile f : files) {
            if (removeIfIdleSince(f, cutoff)) {
                removed.add(f);
            }
        }
        return removed;
    }

    /**
     * Called by a prune before it looks at any file; it deletes nothing after closing what this
     * returns. For a store where {@link #removeIfIdleSince} cannot lose a race with {@link #touch}
     * (a directory) there is nothing to do; a store where it can (S3, which cannot delete "only if
     * idle") holds its writers back with it while the prune runs.
     */
    default Closeable beginPrune() throws IOException {
        return () -> {};
    }

    /**
     * Deletes the temporary files of writers last modified before {@code olderThan} (crashed
     * writers' leftovers); with {@code dryRun} only counts them. Returns how many there were.
     */
    long removeTempFiles(Instant olderThan, boolean dryRun) throws IOException;
}
