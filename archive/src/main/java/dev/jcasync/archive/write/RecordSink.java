package dev.jcasync.archive.write;

import dev.jcasync.archive.CatarFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Where the encoder writes: counts the archive offset (goodbye items need the children's offsets),
 * hashes everything (the archive digest casync prints) and buffers small records. Not thread-safe.
 */
final class RecordSink {
    private final OutputStream out;
    private final MessageDigest digest;
    private final byte[] buf = new byte[1 << 16];
    private int fill;
    private long position;

    RecordSink(OutputStream out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
    }

    /** The archive offset of the next byte written. */
    long position() {
        return position;
    }

    void header(long size, long type) throws IOException {
        u64(size);
        u64(type);
    }

    void u64(long v) throws IOException {
        if (buf.length - fill < 8) {
            flushBuffer();
        }
        for (int i = 0; i < 8; i++) {
            buf[fill++] = (byte) (v >>> (8 * i));
        }
        position += 8;
    }

    void bytes(byte[] b) throws IOException {
        bytes(b, 0, b.length);
    }

    void bytes(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - fill) {
            flushBuffer();
            if (len > buf.length / 2) {
                digest.update(b, off, len);
                out.write(b, off, len);
                position += len;
                return;
            }
        }
        System.arraycopy(b, off, buf, fill, len);
        fill += len;
        position += len;
    }

    void zero() throws IOException {
        if (fill == buf.length) {
            flushBuffer();
        }
        buf[fill++] = 0;
        position++;
    }

    /** A record holding a NUL-terminated string. */
    void stringRecord(long type, byte[] s) throws IOException {
        header(CatarFormat.HEADER_SIZE + s.length + 1L, type);
        bytes(s);
        zero();
    }

    private void flushBuffer() throws IOException {
        if (fill > 0) {
            digest.update(buf, 0, fill);
            out.write(buf, 0, fill);
            fill = 0;
        }
    }

    /** Writes out what is buffered (the stream itself is not closed). */
    void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    byte[] digest() {
        return digest.digest();
    }
}
