package dev.jcasync.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Passes reads through and keeps the bytes from a mark on, by archive offset, so that a node's raw
 * records can be hashed after the reader has decoded them (casync's HLDigest). The mark follows
 * the reader, so what is kept is the reader's read-ahead plus one node's metadata.
 */
final class RawWindow implements ReadableByteChannel {
    private final ReadableByteChannel in;
    private byte[] buf = new byte[1 << 17];
    private long base; // archive offset of buf[0]
    private int length;

    RawWindow(ReadableByteChannel in) {
        this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int from = dst.position();
        int n = in.read(dst);
        if (n > 0) {
            if (length + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
            }
            ByteBuffer got = dst.duplicate();
            got.limit(from + n).position(from);
            got.get(buf, length, n);
            length += n;
        }
        return n;
    }

    /** Forgets the bytes before {@code offset}. */
    void discardBefore(long offset) {
        int drop = (int) Math.min(length, Math.max(0, offset - base));
        System.arraycopy(buf, drop, buf, 0, length - drop);
        length -= drop;
        base += drop;
    }

    /** The kept bytes from {@code offset} to the end of what was read. */
    byte[] from(long offset) throws IOException {
        if (offset < base) {
            throw new IOException("offset " + offset + " is no longer held (held from " + base + ")");
        }
        int start = (int) Math.min(length, offset - base);
        return Arrays.copyOfRange(buf, start, length);
    }

    @Override
    public boolean isOpen() {
        return in.isOpen();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
