package dev.jcasync.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import dev.jcasync.chunker.ChunkSizes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/** Turns chunk bytes into chunk files and back, in any format casync reads or writes. */
public final class ChunkCodec {
    /** casync's zstd level. */
    public static final int ZSTD_LEVEL = 3;
    /** Chunks are at most 128 MiB (docs/format.md 6.2). */
    private static final int MAX_CHUNK = ChunkSizes.LIMIT;
    /** The largest chunk file accepted (from a server, or by one): a compressed chunk may be a little larger. */
    public static final long MAX_FILE_BYTES = MAX_CHUNK + (1L << 20);
    /**
     * xz streams needing more decoder memory are refused: the dictionary size is the stream's
     * claim and would be allocated before any data is read (casync's preset 6 needs about 9 MiB).
     */
    public static final int XZ_MEMORY_LIMIT_KIB = 16 << 10;
    /**
     * The most a zstd frame can expand, per input byte: an RLE block is a 3-byte header and one
     * byte for up to 128 KiB. A frame header's content size above this is a lie, not a buffer size.
     */
    private static final long ZSTD_MAX_RATIO = (128 << 10) / 4;
    /** Room for a compressed stream's headers and trailers beyond {@link #maxFileBytes}'s per-byte overhead. */
    private static final int FRAMING_SLACK = 64 << 10;
    /** Per-thread zstd contexts: creating one per chunk costs more than decompressing a small chunk. */
    private static final ThreadLocal<ZstdDecompressCtx> ZSTD_DECOMPRESS =
            ThreadLocal.withInitial(ZstdDecompressCtx::new);

    private static final ThreadLocal<ZstdCompressCtx> ZSTD = ThreadLocal.withInitial(() -> {
        ZstdCompressCtx ctx = new ZstdCompressCtx();
        ctx.setLevel(ZSTD_LEVEL);
        return ctx;
    });

    private ChunkCodec() {}

    /**
     * The largest file that can hold a chunk of {@code size} bytes ({@code -1}: size unknown, any
     * chunk): a raw file is the chunk itself; a compressed one is at most the chunk plus what the
     * least compact codec adds when data does not compress (stored blocks: zstd 3 bytes per 128 KiB,
     * gzip 5 per 64 KiB, lz4 4 per 64 KiB, xz 3 per 64 KiB), so 1/256 plus room for the framing.
     * A file larger than this cannot be the chunk, and is refused before it is read.
     */
    public static long maxFileBytes(int size, boolean compressed) {
        if (size < 0) {
            return compressed ? MAX_FILE_BYTES : MAX_CHUNK;
        }
        return compressed ? Math.min(MAX_FILE_BYTES, size + size / 256L + FRAMING_SLACK) : size;
    }

    public static ChunkFile encode(byte[] data, int offset, int length, Compression compression) throws IOException {
        switch (compression) {
            case NONE:
                return new ChunkFile(Arrays.copyOfRange(data, offset, offset + length), false);
            case ZSTD: {
                byte[] out = new byte[(int) Zstd.compressBound(length)];
                int n = ZSTD.get().compressByteArray(out, 0, out.length, data, offset, length);
                return new ChunkFile(Arrays.copyOf(out, n), true);
            }
            case XZ: {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(length / 2 + 64);
                try (XZOutputStream xz =
                        new XZOutputStream(bytes, new LZMA2Options(LZMA2Options.PRESET_DEFAULT), XZ.CHECK_CRC64)) {
                    xz.write(data, offset, length);
                }
                return new ChunkFile(bytes.toByteArray(), true);
            }
            case GZIP: {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(length / 2 + 64);
                try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 65536)) {
                    gz.write(data, offset, length);
                }
                return new ChunkFile(bytes.toByteArray(), true);
            }
            case LZ4: {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(length / 2 + 64);
                // The content size in the frame header lets a reader size its buffer at once.
                try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(
                        bytes,
                        lz4BlockSize(length),
                        length,
                        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                        LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
                    lz4.write(data, offset, length);
                }
                return new ChunkFile(bytes.toByteArray(), true);
            }
            default:
                throw new AssertionError(compression);
        }
    }

    /**
     * The chunk file to keep for a chunk in {@code format}: {@code file} itself if it is in that
     * format already or {@code format} is null (keep as is), else {@code data} encoded anew.
     */
    public static ChunkFile inFormat(ChunkFile file, byte[] data, Compression format) throws IOException {
        if (format == null || Compression.of(file) == format) {
            return file;
        }
        return encode(data, 0, data.length, format);
    }

    /**
     * The chunk bytes held by {@code file}. With {@code expectedSize >= 0} decoding stops with an
     * error as soon as the data would exceed it; {@code -1} accepts any size up to 128 MiB (raw files too).
     */
    public static byte[] decode(ChunkFile file, int expectedSize) throws IOException {
        byte[] data = decodeUpTo(file, expectedSize >= 0 ? expectedSize : MAX_CHUNK, expectedSize >= 0);
        if (expectedSize >= 0 && data.length != expectedSize) {
            throw new IOException("decoded to " + data.length + " bytes, expected " + expectedSize);
        }
        return data;
    }

    /** Decodes at most {@code limit} bytes; {@code exact}: the caller expects exactly that many. */
    static byte[] decodeUpTo(ChunkFile file, int limit, boolean exact) throws IOException {
        byte[] in = file.bytes();
        if (!file.compressed()) {
            if (in.length > limit) {
                throw new IOException("raw chunk file holds " + in.length + " bytes, more than " + limit);
            }
            return in;
        }
        Compression format = Compression.detect(in);
        if (format == null) {
            throw new IOException("not a zstd, xz, gzip or lz4 stream");
        }
        switch (format) {
            case GZIP:
                return GzipDecoder.decode(in, limit);
            case ZSTD:
                return decodeZstd(in, limit, exact);
            case LZ4: {
                try {
                    return readWhole(source -> new LZ4FrameInputStream(source, true), in, limit, "lz4 frame");
                } catch (RuntimeException e) {
                    // lz4-java reports malformed blocks with unchecked exceptions.
                    throw new IOException("lz4: " + e.getMessage(), e);
                }
            }
            default: {
                try {
                    return readWhole(
                            source -> new SingleXZInputStream(source, XZ_MEMORY_LIMIT_KIB), in, limit, "xz stream");
                } catch (MemoryLimitException e) {
                    throw new IOException("xz stream needs " + e.getMemoryNeeded() / 1024 + " MiB to decode, more than "
                            + XZ_MEMORY_LIMIT_KIB / 1024 + " MiB");
                }
            }
        }
    }

    /** A decoder over a source stream (its constructor may already read the header). */
    private interface Decoder {
        InputStream open(InputStream source) throws IOException;
    }

    /** Reads one stream to its end, rejecting more than {@code limit} bytes and any bytes after it. */
    private static byte[] readWhole(Decoder decoder, byte[] in, int limit, String what) throws IOException {
        ByteArrayInputStream source = new ByteArrayInputStream(in);
        try (InputStream stream = decoder.open(source)) {
            byte[] out = stream.readNBytes(limit);
            if (stream.read() >= 0) {
                throw new IOException("decompressed data exceeds " + limit + " bytes");
            }
            if (source.available() > 0) {
                throw new IOException("data after the end of the " + what);
            }
            return out;
        } catch (EOFException e) {
            throw new IOException("truncated " + what, e); // the decoders' EOFException has no message
        }
    }

    /** The smallest lz4 block size that holds the chunk in one block (4 MiB at most). */
    private static LZ4FrameOutputStream.BLOCKSIZE lz4BlockSize(int length) {
        for (LZ4FrameOutputStream.BLOCKSIZE size : LZ4FrameOutputStream.BLOCKSIZE.values()) {
            // The lz4 frame format's block size indicator 4..7 means 64 KiB, 256 KiB, 1 MiB, 4 MiB.
            if (length <= 1 << (2 * size.getIndicator() + 8)) {
                return size;
            }
        }
        return LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB;
    }

    private static byte[] decodeZstd(byte[] in, int limit, boolean exact) throws IOException {
        try {
            long declared = Zstd.getFrameContentSize(in);
            if (exact || (declared >= 0 && declared <= limit && declared <= ZSTD_MAX_RATIO * in.length)) {
                // One call into a buffer of the known size: the index gives it, or the frame header.
                byte[] out = new byte[exact ? limit : (int) declared];
                int n = ZSTD_DECOMPRESS.get().decompressByteArray(out, 0, out.length, in, 0, in.length);
                return n == out.length ? out : Arrays.copyOf(out, n);
            }
            byte[] out;
            try (InputStream stream = new ZstdInputStream(new ByteArrayInputStream(in))) {
                out = stream.readNBytes(limit);
                if (stream.read() >= 0) {
                    throw new IOException("decompressed data exceeds " + limit + " bytes");
                }
            }
            // The stream decoder passes over some broken frames (a block cut short gives what came
            // before it); the one-call decoder, now that the size is known, must agree. Rare: casync
            // and jcasync write the content size, so this path is for frames without one.
            byte[] check = new byte[out.length];
            int n = ZSTD_DECOMPRESS.get().decompressByteArray(check, 0, check.length, in, 0, in.length);
            if (n != out.length || !Arrays.equals(check, out)) {
                throw new IOException("zstd: the frame does not decode to the same data twice");
            }
            return out;
        } catch (ZstdException e) {
            throw new IOException("zstd: " + e.getMessage(), e);
        }
    }
}
