package dev.jcasync.chunker;

/**
 * Finds casync's chunk boundaries (FORMAT.md 3.3) in a buffer. Stateless apart from the
 * parameters: the caller hands it the bytes from a chunk's start, and the cut it returns depends
 * only on those bytes, never on how they were read.
 */
public final class Chunker {
    /** Returned by {@link #cut} when it needs more bytes to decide. */
    public static final int NEED_MORE = -1;

    private final ChunkSizes sizes;
    private final int firstTest;
    private final int discriminator;

    public Chunker(ChunkSizes sizes) {
        this.sizes = sizes;
        this.firstTest = Math.max(sizes.min(), Buzhash.WINDOW);
        this.discriminator = sizes.isFixed() ? 0 : sizes.discriminator();
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

    private int scan(byte[] data, int start, int limit, boolean limitIsFinal) {
        final int d = discriminator;
        final int target = d - 1;
        final int max = sizes.max();
        final int[] table = Buzhash.TABLE;
        final int[] tableOut = Buzhash.TABLE_OUT;
        int e = start + firstTest;
        int end = start + limit;
        int h = Buzhash.hash(data, e - Buzhash.WINDOW);
        while (true) {
            if (Integer.remainderUnsigned(h, d) == target) {
                return e - start;
            }
            if (e - start >= max) {
                return max;
            }
            if (e >= end) {
                return limitIsFinal ? e - start : NEED_MORE;
            }
            h = Integer.rotateLeft(h, 1) ^ tableOut[data[e - Buzhash.WINDOW] & 0xff] ^ table[data[e] & 0xff];
            e++;
        }
    }
}
