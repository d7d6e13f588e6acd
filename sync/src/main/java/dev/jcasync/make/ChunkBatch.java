package dev.jcasync.make;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ParallelSplitter;
import dev.jcasync.index.IndexEntry;
import java.util.Arrays;
import java.util.List;

/**
 * Consecutive chunks of the blob copied into one reusable buffer, so that the reading thread hands
 * work to the others a few megabytes at a time rather than chunk by chunk (thread hand-offs cost
 * more than hashing a small chunk).
 */
final class ChunkBatch {
    byte[] data;
    /** Where the first chunk starts in data (0 unless the batch is a piece used in place). */
    int dataStart;
    /** The end of the last chunk in data. */
    int used;
    /** Where data[0] is in the blob. */
    long firstOffset;

    int count;
    int[] starts = new int[64];
    int[] lengths = new int[64];
    /** Where each chunk is in the blob (a scan leaves out chunks of unwanted sizes, so not always contiguous). */
    long[] offsets = new long[64];

    ChunkId[] ids = new ChunkId[64];

    /** Set when data is a piece of {@link ParallelSplitter} used in place: gives the buffer back. */
    Runnable release;

    ChunkBatch(int capacity) {
        data = new byte[capacity];
    }

    /** The chunks of {@code piece} in its own buffer: no copy. */
    ChunkBatch(ParallelSplitter.PieceChunks piece) {
        data = piece.data();
        firstOffset = piece.dataOffset();
        count = piece.count();
        starts = new int[count];
        lengths = new int[count];
        ids = new ChunkId[count];
        offsets = new long[count];
        for (int i = 0; i < count; i++) {
            starts[i] = piece.start(i);
            lengths[i] = piece.length(i);
            offsets[i] = firstOffset + starts[i];
        }
        dataStart = starts[0];
        used = starts[count - 1] + lengths[count - 1];
        release = piece::release;
    }

    void reset(long offset) {
        used = 0;
        count = 0;
        firstOffset = offset;
    }

    boolean fits(int length) {
        return used + length <= data.length;
    }

    void add(byte[] buffer, int start, int length, long offset) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            ids = Arrays.copyOf(ids, count * 2);
        }
        System.arraycopy(buffer, start, data, used, length);
        starts[count] = used;
        lengths[count] = length;
        offsets[count] = offset;
        count++;
        used += length;
    }

    void appendEntries(List<IndexEntry> entries) {
        for (int i = 0; i < count; i++) {
            entries.add(new IndexEntry(offsets[i], lengths[i], ids[i]));
        }
    }
}
