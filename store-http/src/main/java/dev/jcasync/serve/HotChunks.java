package dev.jcasync.serve;

import java.nio.ByteBuffer;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * Chunk files asked for more than once, held whole in direct memory up to a byte budget, least
 * recently used out first. A hit costs one stat of the file instead of open, fstat, read and close
 * and a copy through a pooled buffer; the stat keeps answers true to the store: a file that was
 * deleted, replaced (another inode) or rewritten (size, time) is read again. A file is kept only
 * on its second request in a while, so a one-pass reader (an extract) does not churn the cache.
 *
 * <p>The bytes are in buffers of the server's pool, counted: the cache holds one reference, every
 * response being written another, so a file dropped while it is sent goes back to the pool only
 * when the last write is done.
 */
final class HotChunks {
    /** One kept file and what its response headers say about it. */
    record Entry(
            Object fileKey,
            long size,
            long modifiedMillis,
            String etag,
            String lastModified,
            RetainableByteBuffer buffer) {
        /** What it holds of the budget: its whole buffer (pooled buffers come in fixed sizes). */
        long cost() {
            return buffer.capacity();
        }

        boolean matches(BasicFileAttributes attributes) {
            return attributes.size() == size
                    && attributes.lastModifiedTime().toMillis() == modifiedMillis
                    && Objects.equals(attributes.fileKey(), fileKey);
        }

        /** The bytes from {@code offset} on, {@code length} of them, as a buffer of their own to write. */
        ByteBuffer slice(long offset, long length) {
            return buffer.getByteBuffer().duplicate().position((int) offset).limit((int) (offset + length));
        }
    }

    private final long budget;
    private final int maxFile;
    private long used;
    private final LinkedHashMap<ChunkPath, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
    /** Files asked for once recently (names only): the next request for one of them keeps it. */
    private final LinkedHashMap<ChunkPath, Boolean> seen;

    HotChunks(long budget, int maxFile) {
        this.budget = budget;
        this.maxFile = maxFile;
        int seenLimit = (int) Math.min(1 << 16, Math.max(64, budget / 16384));
        this.seen = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ChunkPath, Boolean> eldest) {
                return size() > seenLimit;
            }
        };
    }

    /**
     * The kept copy of {@code chunk} if it is still the file {@code attributes} describe, else null.
     * Its buffer is retained for the caller, who releases it when the response is written.
     */
    synchronized Entry get(ChunkPath chunk, BasicFileAttributes attributes) {
        Entry entry = entries.get(chunk);
        if (entry == null) {
            return null;
        }
        if (!entry.matches(attributes)) {
            remove(chunk);
            return null;
        }
        entry.buffer().retain();
        return entry;
    }

    /**
     * Whether {@code chunk}, of {@code size} bytes, is worth reading whole and keeping: it fits,
     * and it was asked for before. Records this request for the next time.
     */
    synchronized boolean wanted(ChunkPath chunk, long size) {
        if (size <= 0 || size > maxFile || size > budget) {
            return false;
        }
        return seen.put(chunk, Boolean.TRUE) != null;
    }

    /**
     * Keeps {@code entry}, taking over one reference to its buffer (whose bytes are no longer
     * written), and drops the least recently used entries to fit.
     */
    synchronized void put(ChunkPath chunk, Entry entry) {
        remove(chunk);
        seen.remove(chunk);
        used += entry.cost();
        entries.put(chunk, entry);
        var it = entries.values().iterator();
        while (used > budget && it.hasNext()) {
            Entry old = it.next();
            it.remove();
            used -= old.cost();
            old.buffer().release();
        }
    }

    /** Drops every entry (the server stops). */
    synchronized void clear() {
        entries.values().forEach(entry -> entry.buffer().release());
        entries.clear();
        seen.clear();
        used = 0;
    }

    private void remove(ChunkPath chunk) {
        Entry old = entries.remove(chunk);
        if (old != null) {
            used -= old.cost();
            old.buffer().release();
        }
    }

    synchronized long bytesHeld() {
        return used;
    }
}
