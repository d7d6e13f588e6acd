package dev.jcasync.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads of whole ranges: any number of threads can read one channel at once. */
public final class Ranges {
    private Ranges() {}

    /** The {@code size} bytes at {@code offset}, or null where the file ends before them. */
    public static byte[] read(FileChannel in, long offset, int size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(size);
        long pos = offset;
        while (buf.hasRemaining()) {
            int n = in.read(buf, pos);
            if (n < 0) {
                return null;
            }
            pos += n;
        }
        return buf.array();
    }
}
