package dev.jcasync.archive.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/** A buffered, forward-only reader over a channel that counts the archive offset; a fixed 64 KiB buffer. */
final class Input {
    private static final int BUFFER = 1 << 16;

    private final ReadableByteChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    /** Archive offset of buf's position. */
    private long position;

    Input(ReadableByteChannel channel) {
        this.channel = channel;
        buf.limit(0);
    }

    long position() {
        return position;
    }

    /** Buffers at least {@code n} bytes (n at most the buffer size); false if the stream ends first. */
    boolean fill(int n) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        buf.compact();
        try {
            while (buf.position() < n) {
                if (channel.read(buf) < 0) {
                    break;
                }
            }
        } finally {
            buf.flip();
        }
        return buf.remaining() >= n;
    }

    /** The next little-endian u64; the caller has {@link #fill}ed 8 bytes. */
    long getLong() {
        position += 8;
        return buf.getLong();
    }

    /** Up to {@code len} bytes into {@code dst}; -1 at the end of the stream. */
    int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!buf.hasRemaining() && !fill(1)) {
            return -1;
        }
        int n = Math.min(len, buf.remaining());
        buf.get(dst, off, n);
        position += n;
        return n;
    }

    /** Reads exactly {@code len} bytes; false if the stream ends first. */
    boolean readFully(byte[] dst, int off, int len) throws IOException {
        while (len > 0) {
            int n = read(dst, off, len);
            if (n < 0) {
                return false;
            }
            off += n;
            len -= n;
        }
        return true;
    }

    /** Skips {@code n} bytes; false if the stream ends first. */
    boolean skip(long n) throws IOException {
        while (n > 0) {
            if (!buf.hasRemaining() && !fill(1)) {
                return false;
            }
            int k = (int) Math.min(n, buf.remaining());
            buf.position(buf.position() + k);
            position += k;
            n -= k;
        }
        return true;
    }
}
