package dev.jcasync.chunker;

import java.util.ArrayList;
import java.util.List;

/**
 * docs/format.md 3.1 and 3.4 written as naively as possible, to check the real chunker against: the
 * hash is the XOR definition, evaluated from scratch for every candidate end.
 */
public final class ReferenceChunker {
    private ReferenceChunker() {}

    /** H(w) = XOR over j of rotl(T[w[j]], 47 - j), for the window {@code data[from .. from+47]}. */
    public static int hash(byte[] data, int from) {
        int h = 0;
        for (int j = 0; j < Buzhash.WINDOW; j++) {
            h ^= Integer.rotateLeft(Buzhash.TABLE[data[from + j] & 0xff], 47 - j);
        }
        return h;
    }

    /** Exclusive chunk end offsets; the discriminator comes from ChunkSizes (checked against docs/format.md 2.2). */
    public static List<Long> chunkEnds(byte[] data, ChunkSizes sizes) {
        int n = data.length;
        List<Long> ends = new ArrayList<>();
        if (sizes.isFixed()) {
            for (long end = sizes.avg(); end - sizes.avg() < n; end += sizes.avg()) {
                ends.add(Math.min(end, n));
            }
            return ends;
        }
        long d = sizes.discriminator();
        int l0 = Math.max(sizes.min(), Buzhash.WINDOW);
        int s = 0;
        while (s < n) {
            int e;
            if (s + l0 >= n) {
                e = n;
            } else {
                e = s + l0;
                while (e - s < sizes.max()
                        && Integer.toUnsignedLong(hash(data, e - Buzhash.WINDOW)) % d != d - 1
                        && e < n) {
                    e++;
                }
            }
            ends.add((long) e);
            s = e;
        }
        return ends;
    }
}
