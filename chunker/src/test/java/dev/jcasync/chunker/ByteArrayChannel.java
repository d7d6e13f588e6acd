package dev.jcasync.chunker;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Random;
import java.util.function.IntSupplier;

/** A channel over a byte array whose reads deliver as many bytes as a supplier allows (at least 1). */
public final class ByteArrayChannel implements ReadableByteChannel {
    private final byte[] data;
    private final IntSupplier readLimit;
    private int position;
    private boolean open = true;

    private ByteArrayChannel(byte[] data, IntSupplier readLimit) {
        this.data = data;
        this.readLimit = readLimit;
    }

    /** Each read fills as much of the buffer as the data allows. */
    public static ByteArrayChannel whole(byte[] data) {
        return new ByteArrayChannel(data, () -> Integer.MAX_VALUE);
    }

    /** Each read delivers a random 1 .. maxRead bytes (fewer if the buffer or the data ends). */
    public static ByteArrayChannel randomReads(byte[] data, long seed, int maxRead) {
        Random random = new Random(seed);
        return new ByteArrayChannel(data, () -> 1 + random.nextInt(maxRead));
    }

    @Override
    public int read(ByteBuffer dst) {
        if (position == data.length) {
            return -1;
        }
        int n = Math.min(Math.min(dst.remaining(), data.length - position), readLimit.getAsInt());
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
