package dev.jcasync.bench;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** A channel over a byte array that fills the caller's buffer with one bulk copy per read. */
final class ArrayChannel implements ReadableByteChannel {
    private final byte[] data;
    private int position;
    private boolean open = true;

    ArrayChannel(byte[] data) {
        this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
        int left = data.length - position;
        if (left == 0) {
            return -1;
        }
        int n = Math.min(left, dst.remaining());
        dst.put(data, position, n);
        position += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
