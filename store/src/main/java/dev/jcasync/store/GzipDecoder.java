package dev.jcasync.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes exactly one gzip member and rejects anything after it. (GZIPInputStream silently
 * ignores trailing bytes, which casync refuses.)
 */
final class GzipDecoder {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private GzipDecoder() {}

    static byte[] decode(byte[] in, int limit) throws IOException {
        if (in.length < 18 || (in[0] & 0xff) != 0x1f || (in[1] & 0xff) != 0x8b || in[2] != 8) {
            throw new IOException("not a gzip (deflate) stream");
        }
        int flags = in[3] & 0xff;
        int pos = 10;
        if ((flags & FEXTRA) != 0) {
            pos += 2 + ((in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) {
            pos = skipZeroTerminated(in, pos);
        }
        if ((flags & FCOMMENT) != 0) {
            pos = skipZeroTerminated(in, pos);
        }
        if ((flags & FHCRC) != 0) {
            pos += 2;
        }
        if (pos >= in.length) {
            throw new IOException("truncated gzip header");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(in, pos, in.length - pos);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, Math.max(1024, in.length * 4)));
            byte[] buf = new byte[65536];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated gzip stream");
                }
                if (out.size() + n > limit) {
                    throw new IOException("decompressed data exceeds " + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
            byte[] data = out.toByteArray();
            int trailer = in.length - inflater.getRemaining();
            if (inflater.getRemaining() != 8) {
                throw new IOException(
                        inflater.getRemaining() < 8
                                ? "truncated gzip trailer"
                                : "data after the end of the gzip stream");
            }
            CRC32 crc = new CRC32();
            crc.update(data);
            if ((int) crc.getValue() != le32(in, trailer) || data.length != le32(in, trailer + 4)) {
                throw new IOException("gzip checksum or length mismatch");
            }
            return data;
        } catch (DataFormatException e) {
            throw new IOException("gzip: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static int skipZeroTerminated(byte[] in, int pos) throws IOException {
        while (pos < in.length && in[pos] != 0) {
            pos++;
        }
        if (pos >= in.length) {
            throw new IOException("truncated gzip header");
        }
        return pos + 1;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
