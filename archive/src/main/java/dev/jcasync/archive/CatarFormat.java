package dev.jcasync.archive;

/**
 * The constants of casync's catar stream, shared by the encoder and the decoder: record type ids,
 * fixed record sizes and size bounds, the goodbye tail marker and the SipHash key of goodbye
 * items, with the two computations both sides need (the name hash and the order of goodbye items).
 * Every value is described in docs/catar.md (sections 3, 7 and 9).
 */
public final class CatarFormat {
    private CatarFormat() {}

    /** Length of every record header: u64 size, u64 type (docs/catar.md section 1). */
    public static final int HEADER_SIZE = 16;

    // Record types (docs/catar.md section 3).
    public static final long ENTRY = 0x1396fabcea5bbb51L;
    public static final long USER = 0xf453131aaeeaccb3L;
    public static final long GROUP = 0x25eb6ac969396a52L;
    public static final long XATTR = 0xb8157091f80bc486L;
    public static final long ACL_USER = 0x297dc88b2ef12fafL;
    public static final long ACL_GROUP = 0x36f2acb56cb3dd0bL;
    public static final long ACL_GROUP_OBJ = 0x23047110441f38f3L;
    public static final long ACL_DEFAULT = 0xfe3eeda6823c8cd0L;
    public static final long ACL_DEFAULT_USER = 0xbdf03df9bd010a91L;
    public static final long ACL_DEFAULT_GROUP = 0xa0cb1168782d1f51L;
    public static final long SELINUX = 0x46faf0602fd26c59L;
    public static final long FCAPS = 0xf7267db0afed0629L;
    public static final long QUOTA_PROJID = 0x161baf2d8772a72bL;
    public static final long SYMLINK = 0x664a6fb6830e0d6cL;
    public static final long DEVICE = 0xac3dace369dfe643L;
    public static final long PAYLOAD = 0x8b9e1d93d6dcffc9L;
    public static final long FILENAME = 0x6dbb6ebcb3161f0bL;
    public static final long GOODBYE = 0xdfd35c5e8327c403L;

    /** Last 8 bytes of every GOODBYE record. */
    public static final long GOODBYE_TAIL_MARKER = 0x57446fa533702943L;

    // Fixed sizes and bounds (whole records, header included).
    public static final int ENTRY_SIZE = 64;
    public static final int ACL_GROUP_OBJ_SIZE = 24;
    public static final int ACL_DEFAULT_SIZE = 48;
    public static final int DEVICE_SIZE = 32;
    public static final int QUOTA_PROJID_SIZE = 24;
    /** An ACL_USER/ACL_GROUP (and the default variants) without a name; a name adds its length + 1. */
    public static final int ACL_ENTRY_SIZE = 32;
    /** One goodbye item, and the goodbye tail: u64 offset, u64 size, u64 hash (or marker). */
    public static final int GOODBYE_ITEM_SIZE = 24;
    /** Longest user or group name (bytes, without the NUL). */
    public static final int MAX_USER_NAME = 255;
    /** Longest file name (bytes, without the NUL). */
    public static final int MAX_FILENAME = 255;
    /** Longest xattr name (bytes, without the NUL). */
    public static final int MAX_XATTR_NAME = 255;
    /** Longest xattr value. */
    public static final int MAX_XATTR_VALUE = 65536;
    /** Longest symlink target and SELinux label (bytes, without the NUL). */
    public static final int MAX_PATH = 4095;
    /** Largest FCAPS value. */
    public static final int MAX_FCAPS = 65536;
    /** ACL_DEFAULT's mask field when the default ACL has no mask entry. */
    public static final long ACL_NO_MASK = -1L;
    /** ACL permission bits. */
    public static final long ACL_READ = 4, ACL_WRITE = 2, ACL_EXECUTE = 1;
    /** Nesting casync handles at most, the root included (docs/catar.md section 13). */
    public static final int MAX_DEPTH = 64;

    // File types in ENTRY.mode.
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    /** SipHash-2-4 key of goodbye item hashes, as two little-endian u64 (docs/catar.md 7.1). */
    public static final long GOODBYE_HASH_K0 = 0x8574442b0f1d84b3L;

    public static final long GOODBYE_HASH_K1 = 0x2736ed30d1c22ec1L;

    /**
     * casync's (ls-style) mode string: the type letter, then rwx triples with set-id bits; the sticky
     * bit shows on directories only, as casync prints it.
     */
    public static String modeString(long mode) {
        int type = (int) (mode & S_IFMT);
        char t = switch (type) {
            case S_IFDIR -> 'd';
            case S_IFLNK -> 'l';
            case S_IFIFO -> 'p';
            case S_IFSOCK -> 's';
            case S_IFCHR -> 'c';
            case S_IFBLK -> 'b';
            default -> '-';
        };
        StringBuilder b = new StringBuilder(10).append(t);
        b.append((mode & 0400) != 0 ? 'r' : '-');
        b.append((mode & 0200) != 0 ? 'w' : '-');
        b.append(special(mode & 0100, mode & 04000, 's'));
        b.append((mode & 040) != 0 ? 'r' : '-');
        b.append((mode & 020) != 0 ? 'w' : '-');
        b.append(special(mode & 010, mode & 02000, 's'));
        b.append((mode & 04) != 0 ? 'r' : '-');
        b.append((mode & 02) != 0 ? 'w' : '-');
        b.append(special(mode & 01, type == S_IFDIR ? mode & 01000 : 0, 't'));
        return b.toString();
    }

    private static char special(long exec, long bit, char c) {
        if (bit != 0) {
            return exec != 0 ? c : Character.toUpperCase(c);
        }
        return exec != 0 ? 'x' : '-';
    }

    /** A GOODBYE record's size for {@code n} items. */
    public static long goodbyeSize(int n) {
        return HEADER_SIZE + (long) GOODBYE_ITEM_SIZE * n + GOODBYE_ITEM_SIZE;
    }

    /** The goodbye hash of a file name (its bytes without the NUL): SipHash-2-4 with the fixed key. */
    public static long nameHash(byte[] name) {
        return sipHash24(GOODBYE_HASH_K0, GOODBYE_HASH_K1, name, 0, name.length);
    }

    /** Standard SipHash-2-4 with a 64-bit result. */
    public static long sipHash24(long k0, long k1, byte[] data, int off, int len) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        int end = off + (len & ~7);
        for (int i = off; i < end; i += 8) {
            long m = le64(data, i, 8);
            v3 ^= m;
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
            v0 ^= m;
        }
        long b = ((long) len) << 56 | le64(data, end, len & 7);
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

    private static long le64(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xffL);
        }
        return v;
    }

    /**
     * Where the goodbye items go: {@code result[position]} is the index, in the list sorted by
     * hash, of the item stored at that array position (docs/catar.md 7.2: the sorted items handed
     * out in order to the positions of an implicit binary tree visited in order).
     */
    public static int[] goodbyeLayout(int n) {
        int[] out = new int[n];
        int[] next = {0};
        fill(out, 0, next);
        return out;
    }

    private static void fill(int[] out, int i, int[] next) {
        // iterative on the right spine, recursive on the left: depth is log2(n)
        while (i < out.length) {
            fill(out, 2 * i + 1, next);
            out[i] = next[0]++;
            i = 2 * i + 2;
        }
    }

    /**
     * A name or path as casync's list and mtree print it: bytes up to 0x20, from 0x7f, {@code \\} and
     * {@code #} as a backslash and three octal digits.
     */
    public static String escape(byte[] s) {
        StringBuilder b = new StringBuilder(s.length);
        for (byte x : s) {
            int v = x & 0xff;
            if (v <= 0x20 || v >= 0x7f || v == '\\' || v == '#') {
                b.append('\\')
                        .append((char) ('0' + (v >> 6)))
                        .append((char) ('0' + ((v >> 3) & 7)))
                        .append((char) ('0' + (v & 7)));
            } else {
                b.append((char) v);
            }
        }
        return b.toString();
    }
}
