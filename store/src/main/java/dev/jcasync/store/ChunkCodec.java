package dev.jcasync.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/** Turns chunk bytes into chunk files and back, in any format casync reads or writes. */
public final class ChunkCodec {
    /** casync's zstd level. */
    public static final int ZSTD_LEVEL = 3;
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
        byte[] in = file.bytes();
        if (!file.compressed()) {
            return in;
        }
        Compression format = Compression.detect(in);
        if (format == null) {
            throw new IOException("not a zstd, xz or gzip stream");
        }
        if (format == Compression.ZSTD && expectedSize >= 0) {
            byte[] out = new byte[expectedSize];
            long n = Zstd.decompressByteArray(out, 0, out.length, in, 0, in.length);
            if (Zstd.isError(n)) {
                throw new IOException("zstd: " + Zstd.getErrorName(n));
            }
            if (n != expectedSize) {
                throw new IOException("decompressed to " + n + " bytes, expected " + expectedSize);
            }
            return out;
        }
        try (InputStream stream = open(format, new ByteArrayInputStream(in))) {
            int limit = expectedSize >= 0 ? expectedSize : 128 << 20;
            byte[] out = stream.readNBytes(limit);
            if (stream.read() >= 0) {
                throw new IOException("decompressed data exceeds " + limit + " bytes");
            }
            return out;
        }
    }

    private static InputStream open(Compression format, InputStream in) throws IOException {
        switch (format) {
            case ZSTD: return new ZstdInputStream(in);
            case XZ: return new XZInputStream(in);
            case GZIP: return new GZIPInputStream(in);
            default: throw new AssertionError(format);
        }
    }
}
