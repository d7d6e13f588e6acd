package dev.jcasync.bench;

import java.util.SplittableRandom;

/** Seeded inputs for the benchmarks: random bytes, and a disk-image-like mix. */
final class BenchData {
    private BenchData() {}

    static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                data[i + b] = (byte) (v >>> (8 * b));
            }
        }
        return data;
    }

    /** Repetitive text: compressible, like logs and documentation. */
    static byte[] text(int size) {
        byte[] line = "the quick brown fox jumps over the lazy dog 0123456789\n".getBytes();
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = line[i % line.length];
        }
        return data;
    }

    /** 1 MiB extents: 40% random, 40% zeros, 20% repetitive text (compressible). */
    static byte[] imageLike(long seed, int size) {
        byte[] data = new byte[size];
        SplittableRandom r = new SplittableRandom(seed);
        byte[] text = text(4096);
        for (int at = 0; at < size; at += 1 << 20) {
            int len = Math.min(1 << 20, size - at);
            double k = r.nextDouble();
            if (k < 0.4) {
                System.arraycopy(random(r.nextLong(), len), 0, data, at, len);
            } else if (k >= 0.8) {
                for (int i = 0; i < len; i++) {
                    data[at + i] = text[(i + at / 7) % text.length];
                }
            }
        }
        return data;
    }
}
