package dev.jcasync.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** The first {@code limit} bytes of a channel. */
public final class FirstBytes implements ReadableByteChannel {
    private final ReadableByteChannel in;
    private long left;

    public FirstBytes(ReadableByteChannel in, long limit) {
        this.in = in;
        this.left = limit;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (left <= 0) {
            return -1;
        }
        ByteBuffer window = dst.remaining() > left ? dst.slice().limit((int) left) : dst;
        int n = in.read(window);
        if (window != dst && n > 0) {
            dst.position(dst.position() + n);
        }
        if (n > 0) {
            left -= n;
        }
        return n;
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
