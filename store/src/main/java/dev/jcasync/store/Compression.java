package dev.jcasync.store;

import java.util.Locale;

/** Chunk file formats, recognised by their leading magic bytes (docs/format.md 6.2). */
public enum Compression {
    ZSTD(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}),
    XZ(new byte[] {(byte) 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00}),
    GZIP(new byte[] {0x1F, (byte) 0x8B}),
    /**
     * One lz4 frame: a jcasync extension for local caches and slow devices, where decompression
     * speed matters more than size. casync and desync cannot read it.
     */
    LZ4(new byte[] {0x04, 0x22, 0x4D, 0x18}),
    /** Stored raw as {@code <id>} without suffix. */
    NONE(new byte[0]);

    /** The compressed formats, in the order their magic is tried. */
    private static final Compression[] COMPRESSED = {XZ, GZIP, ZSTD, LZ4};

    private final byte[] magic;

    Compression(byte[] magic) {
        this.magic = magic;
    }

    /** The name used by {@code --compression}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Compression fromCliName(String name) {
        for (Compression c : values()) {
            if (c.cliName().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + name + "' (expected zstd, xz, gzip, lz4 or none)");
    }

    /** False for formats only jcasync reads: stores holding them are unreadable for casync and desync. */
    public boolean casyncReadable() {
        return this != LZ4;
    }

    /** The format of a chunk file: NONE for a raw one, else by its magic (null if none matches). */
    public static Compression of(ChunkFile file) {
        return file.compressed() ? detect(file.bytes()) : NONE;
    }

    /** The format of a compressed chunk file, or null if no known magic matches. */
    public static Compression detect(byte[] data) {
        for (Compression c : COMPRESSED) {
            if (c.matches(data)) {
                return c;
            }
        }
        return null;
    }

    private boolean matches(byte[] data) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
