package dev.jcasync.chunker;

/**
 * Finds casync's chunk boundaries (docs/format.md 3.3) in a buffer. Stateless apart from the
 * parameters: the caller hands it the bytes from a chunk's start, and the cut it returns depends
 * only on those bytes, never on how they were read.
 */
public final class Chunker {
    /** Returned by {@link #cut} when it needs more bytes to decide. */
    public static final int NEED_MORE = -1;

    private final ChunkSizes sizes;
    private final int firstTest;
    /** Lemire's divisibility constant ceil(2^64 / d): n % d == 0 iff n * c <= c - 1 (unsigned), n < 2^32. */
    private final long divisibility;
    /** The hash of a window of 48 zero bytes: when it does not cut, zero runs are skipped whole. */
    private static final int ZERO_WINDOW_HASH = Buzhash.hash(new byte[Buzhash.WINDOW], 0);

    public Chunker(ChunkSizes sizes) {
        this.sizes = sizes;
        this.firstTest = Math.max(sizes.min(), Buzhash.WINDOW);
        // (Fixed sizes never reach the boundary test: cut returns before scanning.)
        this.divisibility = Long.divideUnsigned(-1L, sizes.isFixed() ? 1 : sizes.discriminator()) + 1;
    }

    public ChunkSizes sizes() {
        return sizes;
    }

    /**
     * The length of the chunk that starts at {@code data[start]}, given that {@code available}
     * bytes from there are in the buffer and {@code endOfInput} tells whether more follow.
     * Returns {@link #NEED_MORE} if fewer than max bytes are available before the end of input
     * and no cut was found; a caller that always provides max bytes (or all the rest) never sees it.
     */
    public int cut(byte[] data, int start, int available, boolean endOfInput) {
        int max = sizes.max();
        if (sizes.isFixed()) {
            if (available >= max) {
                return max;
            }
            return endOfInput ? available : NEED_MORE;
        }
        if (max < firstTest && available > max) {
            // casync cannot cut before 48 bytes in this mode, so it refuses blobs longer than max.
            throw new IllegalArgumentException("chunk size max " + max + " is below the 48-byte hash window;"
                    + " only inputs of at most " + max + " bytes can be chunked with " + sizes);
        }
        if (available <= firstTest) {
            // The first possible cut is at firstTest; at end of input the rest is the last chunk.
            return endOfInput ? available : NEED_MORE;
        }
        return scan(data, start, Math.min(available, max), endOfInput || available >= max);
    }

    /**
     * The boundary test {@code h mod d == d - 1}, i.e. d divides n = h + 1: a multiply and a
     * compare instead of a division per byte. Lemire's test (n * c <= c - 1, unsigned, with
     * c = ceil(2^64 / d)) is exact for n below 2^(64 - log2 d), so also for n = 2^32 since
     * d <= 2^27.
     */
    private boolean isCut(int h) {
        return Long.compareUnsigned(((h & 0xFFFFFFFFL) + 1) * divisibility, divisibility - 1) <= 0;
    }

    /** Scans candidates from firstTest up to {@code limit} (at most max) bytes into the chunk. */
    private int scan(byte[] data, int start, int limit, boolean limitIsFinal) {
        final int stop = start + limit;
        int e = start + firstTest;
        int h = Buzhash.hash(data, e - Buzhash.WINDOW);
        if (isCut(h)) {
            return firstTest;
        }
        int end = roll(data, e, h, stop);
        if (end >= 0) {
            return end - start;
        }
        return limitIsFinal ? limit : NEED_MORE;
    }

    /**
     * Continues the search in a chunk too long to keep whole: {@code before} bytes of it lie before
     * {@code data[at]} and every cut up to there was tested; of those, only the 48 bytes right
     * before {@code data[at]} need be in the buffer (the hash is of that window alone). Returns the
     * number of bytes from {@code at} to the cut, or {@link #NEED_MORE} if {@code available} bytes
     * did not decide it. The cut is the one {@link #cut} finds with the whole chunk in the buffer.
     */
    public int resume(byte[] data, int at, int available, long before, boolean endOfInput) {
        long room = sizes.max() - before; // bytes the chunk may still take
        int limit = (int) Math.min(available, room);
        boolean limitIsFinal = endOfInput || available >= room;
        if (sizes.isFixed()) {
            return limitIsFinal ? limit : NEED_MORE;
        }
        int e = at;
        if (before < firstTest) {
            // The first test is firstTest bytes into the chunk.
            int need = (int) (firstTest - before);
            if (limit < need) {
                return limitIsFinal ? limit : NEED_MORE;
            }
            e = at + need;
            if (isCut(Buzhash.hash(data, e - Buzhash.WINDOW))) {
                return need;
            }
        }
        int end = roll(data, e, Buzhash.hash(data, e - Buzhash.WINDOW), at + limit);
        if (end >= 0) {
            return end - at;
        }
        return limitIsFinal ? limit : NEED_MORE;
    }

    /**
     * Rolls the hash {@code h} of the window before {@code data[e]} over the bytes up to
     * {@code stop}, testing each position; returns the index after the first cut, or -1.
     */
    private int roll(byte[] data, int e, int h, int stop) {
        final int[] table = Buzhash.TABLE;
        final int[] tableOut = Buzhash.TABLE_OUT;
        final long c = divisibility;
        final long cMinusOne = c - 1;
        while (e < stop) {
            // Hot loop: roll one byte, test (isCut inlined by hand: the JIT keeps c in a register).
            // e only counts up here, so the JIT treats it as a counted loop: bounds checks hoisted,
            // body unrolled. The two table values are XORed first, which keeps the loop-carried
            // chain on h at a rotate and one XOR.
            for (; e < stop; e++) {
                h = Integer.rotateLeft(h, 1) ^ (tableOut[data[e - Buzhash.WINDOW] & 0xff] ^ table[data[e] & 0xff]);
                if (Long.compareUnsigned(((h & 0xFFFFFFFFL) + 1) * c, cMinusOne) <= 0) {
                    return e + 1;
                }
                if (h == ZERO_WINDOW_HASH) {
                    break;
                }
            }
            if (e < stop) {
                e++; // the byte whose window hashed like zeros
                if (Zeros.isAllZero(data, e - Buzhash.WINDOW, e)) {
                    // Inside a zero run the window, and so the hash, stays the same, and it did not cut
                    // just above: no position in the run cuts, so jump to the run's end.
                    e = Zeros.firstNonZero(data, e, stop);
                }
            }
        }
        return -1;
    }
}
