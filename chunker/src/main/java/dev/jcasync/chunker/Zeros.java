package dev.jcasync.chunker;

import java.util.Arrays;

/** Fast tests for runs of zero bytes, which disk images are full of. */
public final class Zeros {
    private static final byte[] BLOCK = new byte[64 * 1024];

    private Zeros() {}

    /** The index of the first non-zero byte in {@code data[from .. to)}, or {@code to} if there is none. */
    public static int firstNonZero(byte[] data, int from, int to) {
        // Arrays.mismatch is vectorized by the JIT: many bytes per instruction.
        for (int i = from; i < to; i += BLOCK.length) {
            int n = Math.min(BLOCK.length, to - i);
            int m = Arrays.mismatch(data, i, i + n, BLOCK, 0, n);
            if (m >= 0) {
                return i + m;
            }
        }
        return to;
    }

    public static boolean isAllZero(byte[] data, int from, int to) {
        return firstNonZero(data, from, to) == to;
    }
}
