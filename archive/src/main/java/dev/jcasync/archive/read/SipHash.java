package dev.jcasync.archive.read;

import dev.jcasync.archive.CatarFormat;

/** The reader's names for {@link CatarFormat}'s SipHash-2-4 (docs/catar.md 7.1): goodbye item hashes and its own checks. */
final class SipHash {
    private SipHash() {}

    /** The goodbye hash of a child name (without its NUL). */
    static long ofName(byte[] name) {
        return CatarFormat.nameHash(name);
    }

    static long hash(long k0, long k1, byte[] m, int off, int len) {
        return CatarFormat.sipHash24(k0, k1, m, off, len);
    }
}
