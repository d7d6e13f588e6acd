package dev.jcasync.chunker;

import java.util.Arrays;
import java.util.HexFormat;

/** A chunk's name: the 32-byte digest of its uncompressed bytes, shown as 64 lowercase hex digits. */
public final class ChunkId implements Comparable<ChunkId> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private ChunkId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ChunkId of(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("chunk id must be " + LENGTH + " bytes, got " + digest.length);
        }
        return new ChunkId(digest.clone());
    }

    /** Takes ownership of a freshly computed digest array (no defensive copy). */
    static ChunkId wrap(byte[] freshDigest) {
        return new ChunkId(freshDigest);
    }

    public static ChunkId of(byte[] data, int offset) {
        return new ChunkId(Arrays.copyOfRange(data, offset, offset + LENGTH));
    }

    /** Parses 64 lowercase hex digits (casync accepts lowercase only). */
    public static ChunkId parse(String hex) {
        if (!isValidHex(hex)) {
            throw new IllegalArgumentException("not a chunk id: '" + hex + "'");
        }
        return new ChunkId(HEX.parseHex(hex));
    }

    /** True for exactly 64 lowercase hex digits. */
    public static boolean isValidHex(String hex) {
        return hex.length() == 2 * LENGTH
                && hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /** Writes the id's bytes at the buffer's position. */
    public void putTo(java.nio.ByteBuffer b) {
        b.put(bytes);
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /** The first four hex digits: the store's directory for this chunk. */
    public String prefix() {
        return HEX.formatHex(bytes, 0, 2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        // Digest bytes are uniformly distributed already.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public int compareTo(ChunkId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
