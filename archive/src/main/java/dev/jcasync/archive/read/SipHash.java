package dev.jcasync.archive.read;

/** SipHash-2-4 with a 64-bit result (docs/catar.md 7.1), for goodbye item hashes and the reader's own checks. */
final class SipHash {
    /** The fixed key casync hashes child names with. */
    static final long NAME_K0 = 0x8574442b0f1d84b3L;

    static final long NAME_K1 = 0x2736ed30d1c22ec1L;

    private SipHash() {}

    /** The goodbye hash of a child name (without its NUL). */
    static long ofName(byte[] name) {
        return hash(NAME_K0, NAME_K1, name, 0, name.length);
    }

    static long hash(long k0, long k1, byte[] m, int off, int len) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int end = off + (len & ~7);
        for (int i = off; i < end; i += 8) {
            long w = le(m, i, 8);
            v3 ^= w;
            for (int r = 0; r < 2; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= w;
        }
        long b = ((long) (len & 0xff) << 56) | le(m, end, len & 7);
        v3 ^= b;
        for (int r = 0; r < 2; r++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static long le(byte[] m, int at, int n) {
        long w = 0;
        for (int i = 0; i < n; i++) {
            w |= (m[at + i] & 0xffL) << (8 * i);
        }
        return w;
    }
}
