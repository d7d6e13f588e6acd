package dev.jcasync.index;

import static dev.jcasync.index.IndexFormat.*;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code .caibx} files, rejecting everything casync rejects (docs/format.md 5.3). */
public final class IndexReader {
    private IndexReader() {}

    /** The largest index read: 2 GiB, some 53 million chunks (3 TiB of data at casync's default sizes). */
    static final long MAX_INDEX_BYTES = Integer.MAX_VALUE - 8;

    /** Indexes up to this size (a 1.6 GiB image at casync's default sizes) are read, larger ones mapped. */
    private static final int READ_WHOLE_BYTES = 1 << 20;

    /**
     * Reads an index file. A regular file is mapped, not copied onto the heap, and checked from its
     * header on: a bad one fails after a few pages whatever its size, and memory follows the entries
     * that pass. Anything else (a pipe) is read to its end, up to {@link #MAX_INDEX_BYTES}.
     */
    public static BlobIndex read(Path file) throws IOException {
        String name = file.toString();
        if (Files.isRegularFile(file)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > MAX_INDEX_BYTES) {
                    throw new InvalidIndexException(
                            name + ": index file is " + size + " bytes, more than the " + MAX_INDEX_BYTES + " read");
                }
                if (size <= READ_WHOLE_BYTES) { // a small job's index: mapping's first use costs more than reading
                    ByteBuffer whole = ByteBuffer.allocate((int) size);
                    while (whole.hasRemaining() && ch.read(whole) >= 0) {
                        // until the end of the file
                    }
                    return parse(whole.flip(), name);
                }
                return parse(ch.map(FileChannel.MapMode.READ_ONLY, 0, size), name);
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) MAX_INDEX_BYTES);
            if (in.read() >= 0) {
                throw new InvalidIndexException(name + ": index larger than the " + MAX_INDEX_BYTES + " bytes read");
            }
            return parse(data, name);
        }
    }

    /** Parses index bytes; {@code name} is used in error messages. */
    public static BlobIndex parse(byte[] data, String name) throws InvalidIndexException {
        return parse(ByteBuffer.wrap(data), name);
    }

    private static BlobIndex parse(ByteBuffer buffer, String name) throws InvalidIndexException {
        int length = buffer.remaining();
        if (length < FIXED_SIZE) {
            throw new InvalidIndexException(
                    name + ": truncated index (" + length + " bytes, a .caibx has at least " + FIXED_SIZE + ")");
        }
        ByteBuffer b = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        expect(b, 0, HEADER_SIZE, name, "index header size");
        expect(b, 8, TYPE_INDEX, name, "index header type (not a casync index)");
        long flags = b.getLong(16);
        if ((flags & ~FeatureFlags.KNOWN) != 0) {
            throw new InvalidIndexException(
                    name + ": unknown feature flags 0x" + Long.toHexString(flags) + " at offset 16");
        }
        if (!FeatureFlags.isNormalized(flags)) { // casync refuses these too ("Invalid argument")
            try {
                FeatureFlags.parseStrict(flags);
            } catch (IllegalArgumentException e) {
                throw new InvalidIndexException(name + ": " + e.getMessage() + " at offset 16");
            }
        }
        ChunkSizes sizes;
        try {
            sizes = ChunkSizes.of(b.getLong(24), b.getLong(32), b.getLong(40));
        } catch (IllegalArgumentException e) {
            throw new InvalidIndexException(name + ": " + e.getMessage() + " at offset 24", e);
        }
        expect(b, 48, TABLE_SIZE_UNKNOWN, name, "table header size");
        expect(b, 56, TYPE_TABLE, name, "table header type");
        if ((length - FIXED_SIZE) % ITEM_SIZE != 0) {
            throw new InvalidIndexException(name + ": truncated or padded index (" + length
                    + " bytes is not 104 + 40*N; table ends inside an item or tail)");
        }
        int n = (length - FIXED_SIZE) / ITEM_SIZE;
        List<IndexEntry> entries = new ArrayList<>(Math.min(n, 1 << 16)); // grows with entries that pass
        long previousEnd = 0;
        for (int i = 0; i < n; i++) {
            int at = 64 + ITEM_SIZE * i;
            long end = b.getLong(at);
            if (Long.compareUnsigned(end, previousEnd) <= 0) {
                throw new InvalidIndexException(name + ": chunk " + i + " end offset " + Long.toUnsignedString(end)
                        + " at offset " + at + " is not after the previous end " + previousEnd);
            }
            if (Long.compareUnsigned(end - previousEnd, sizes.max()) > 0) { // unsigned: end may be >= 2^63
                throw new InvalidIndexException(name + ": chunk " + i + " at offset " + at + " is "
                        + (end - previousEnd) + " bytes, more than the index's max " + sizes.max());
            }
            entries.add(new IndexEntry(previousEnd, (int) (end - previousEnd), id(b, at + 8)));
            previousEnd = end;
        }
        int tail = 64 + ITEM_SIZE * n;
        expect(b, tail, 0, name, "table tail (truncated or corrupted index?)");
        expect(b, tail + 8, 0, name, "table tail (truncated or corrupted index?)");
        expect(b, tail + 16, HEADER_SIZE, name, "table tail index offset");
        expect(b, tail + 24, 16L + (long) ITEM_SIZE * n + ITEM_SIZE, name, "table tail size");
        expect(b, tail + 32, TABLE_TAIL_MARKER, name, "table tail marker");
        return new BlobIndex(flags, sizes, entries);
    }

    private static ChunkId id(ByteBuffer b, int at) {
        byte[] id = new byte[ChunkId.LENGTH];
        b.get(at, id);
        return ChunkId.of(id, 0);
    }

    private static void expect(ByteBuffer b, int offset, long expected, String name, String what)
            throws InvalidIndexException {
        long actual = b.getLong(offset);
        if (actual != expected) {
            throw new InvalidIndexException(String.format(
                    "%s: bad %s at offset %d: 0x%x, expected 0x%x", name, what, offset, actual, expected));
        }
    }
}
