package dev.jcasync.extract;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.IndexEntry;
import java.util.ArrayList;
import java.util.List;

/** One distinct chunk of the target: where it goes, which of those places still need writing, where it came from. */
final class Need {
    final ChunkId id;
    final int size;
    /** All-zero: made locally, never copied or fetched. */
    final boolean zero;
    /** Every place of the chunk in the index, in order. */
    final List<IndexEntry> places = new ArrayList<>(1);
    /** The places still to write: all of them, unless the output holds earlier content ({@link KeepInPlace}). */
    List<IndexEntry> toWrite = places;
    /** A place in the output that already holds the chunk, or null. */
    IndexEntry correct;
    /** Where the chunk came from (set once by the source that supplied it). */
    volatile ExtractPlan.From from;
    /** Set once a source has claimed this chunk, so it is written exactly once. */
    private boolean claimed;

    Need(IndexEntry first, boolean zero) {
        this.id = first.id();
        this.size = first.size();
        this.zero = zero;
    }

    /** True once, for the first caller, if anything is still to be written. */
    synchronized boolean claim() {
        if (claimed || toWrite.isEmpty()) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** A chunk a copy from a seed (or moved data) would help with: still to be written, not right elsewhere in the output, not all zeros. */
    boolean wantsCopy() {
        return correct == null && !toWrite.isEmpty() && !zero;
    }

    IndexEntry first() {
        return places.get(0);
    }
}
