package dev.jcasync.chunker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Reads a byte stream and hands each chunk to a consumer, in order. The buffer always holds at
 * least max+1 bytes from the chunk's start (or all the rest of the input) before a cut is
 * searched, so boundaries never depend on how the channel delivers its bytes. It starts at 4 MiB
 * and grows (up to 2 * max + 2) only when a chunk longer than that is still open: memory follows
 * the data, not an index header's max (a seed scanned with a header claiming 128 MiB chunks).
 */
public final class ChunkSplitter {
    private static final int MIN_BUFFER = 4 << 20;

    /** Receives one chunk; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface ChunkConsumer {
        void accept(long offset, byte[] buffer, int start, int length) throws IOException;
    }

    private final Chunker chunker;

    public ChunkSplitter(ChunkSizes sizes) {
        this.chunker = new Chunker(sizes);
    }

    /** Splits all of {@code in}; returns the number of bytes read. */
    public long split(ReadableByteChannel in, ChunkConsumer consumer) throws IOException {
        int max = chunker.sizes().max();
        int cap = (int) Math.max(MIN_BUFFER, Math.min(Integer.MAX_VALUE - 8, 2L * max + 2));
        byte[] buf = new byte[Math.min(cap, MIN_BUFFER)];
        ByteBuffer view = ByteBuffer.wrap(buf);
        int start = 0;
        int filled = 0;
        boolean eof = false;
        long offset = 0;
        while (true) {
            while (!eof && filled - start <= max) {
                // Compact, then fill the buffer: more than max bytes are in unless the input ended.
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    start = 0;
                }
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(cap, 2L * buf.length));
                    view = ByteBuffer.wrap(buf);
                }
                view.limit(buf.length).position(filled);
                while (view.hasRemaining()) {
                    int n = in.read(view);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    filled += n;
                }
            }
            int available = filled - start;
            if (available == 0) {
                return offset;
            }
            int length = chunker.cut(buf, start, available, eof);
            consumer.accept(offset, buf, start, length);
            offset += length;
            start += length;
        }
    }
}
