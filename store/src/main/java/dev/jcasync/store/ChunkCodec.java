package dev.jcasync.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZOutputStream;

/** Turns chunk bytes into chunk files and back, in any format casync reads or writes. */
public final class ChunkCodec {
    /** casync's zstd level. */
    public static final int ZSTD_LEVEL = 3;
    /** Chunks are at most 128 MiB (FORMAT.md 6.2). */
    private static final int MAX_CHUNK = 128 << 20;
    private static final ThreadLocal<ZstdCompressCtx> ZSTD = ThreadLocal.withInitial(() -> {
        ZstdCompressCtx ctx = new ZstdCompressCtx();
        ctx.setLevel(ZSTD_LEVEL);
        return ctx;
    });

    private ChunkCodec() {}

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
                try (XZOutputStream xz = new XZOutputStream(bytes, new LZMA2Options(LZMA2Options.PRESET_DEFAULT), XZ.CHECK_CRC64)) {
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
            default:
                throw new AssertionError(compression);
        }
    }

    /**
     * The chunk bytes held by {@code file}. With {@code expectedSize >= 0} decoding stops with an
     * error as soon as the data would exceed it; {@code -1} accepts any size up to 128 MiB.
     */
    public static byte[] decode(ChunkFile file, int expectedSize) throws IOException {
        byte[] data = decodeUpTo(file, expectedSize >= 0 ? expectedSize : MAX_CHUNK, expectedSize >= 0);
        if (expectedSize >= 0 && data.length != expectedSize) {
            throw new IOException("decoded to " + data.length + " bytes, expected " + expectedSize);
        }
        return data;
    }

    /** Decodes at most {@code limit} bytes; {@code exact}: the caller expects exactly that many. */
    private static byte[] decodeUpTo(ChunkFile file, int limit, boolean exact) throws IOException {
        byte[] in = file.bytes();
        if (!file.compressed()) {
            return in;
        }
        Compression format = Compression.detect(in);
        if (format == null) {
            throw new IOException("not a zstd, xz or gzip stream");
        }
        switch (format) {
            case GZIP:
                return GzipDecoder.decode(in, limit);
            case ZSTD:
                return decodeZstd(in, limit, exact);
            default:
                ByteArrayInputStream source = new ByteArrayInputStream(in);
                try (InputStream stream = new SingleXZInputStream(source)) {
                    byte[] out = stream.readNBytes(limit);
                    if (stream.read() >= 0) {
                        throw new IOException("decompressed data exceeds " + limit + " bytes");
                    }
                    if (source.available() > 0) {
                        throw new IOException("data after the end of the xz stream");
                    }
                    return out;
                }
        }
    }

    private static byte[] decodeZstd(byte[] in, int limit, boolean exact) throws IOException {
        try {
            long declared = Zstd.getFrameContentSize(in);
            if (exact || (declared >= 0 && declared <= limit)) {
                // One call into a buffer of the known size: the index gives it, or the frame header.
                byte[] out = new byte[exact ? limit : (int) declared];
                long n = Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length);
                if (Zstd.isError(n)) {
                    throw new IOException("zstd: " + Zstd.getErrorName(n));
                }
                return n == out.length ? out : Arrays.copyOf(out, (int) n);
            }
            try (InputStream stream = new ZstdInputStream(new ByteArrayInputStream(in))) {
                byte[] out = stream.readNBytes(limit);
                if (stream.read() >= 0) {
                    throw new IOException("decompressed data exceeds " + limit + " bytes");
                }
                return out;
            }
        } catch (ZstdException e) {
            throw new IOException("zstd: " + e.getMessage());
        }
    }

}
