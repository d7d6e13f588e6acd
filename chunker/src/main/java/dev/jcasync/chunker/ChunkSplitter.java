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
 * the data, not an index header's max. A scan that wants only short chunks (a seed) can also cap
 * what is kept ({@link #split(ReadableByteChannel, int, ChunkConsumer)}).
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

    /**
     * Splits all of {@code in} as {@link #split(ReadableByteChannel, ChunkConsumer)} does, but holds
     * no more than about {@code keep} bytes of a chunk: one that grows longer is followed to its
     * cut without keeping its bytes and handed on with a null buffer (offset and length only). For
     * a scan that wants only chunks of at most {@code keep} bytes: memory follows that, not max.
     */
    public long split(ReadableByteChannel in, int keep, ChunkConsumer consumer) throws IOException {
        int max = chunker.sizes().max();
        long size = Math.max(MIN_BUFFER, 2L * keep + 2);
        if (size >= 2L * max + 2) {
            return split(in, consumer); // every chunk fits anyway
        }
        byte[] buf = new byte[(int) size];
        ByteBuffer view = ByteBuffer.wrap(buf);
        int start = 0; // where the current chunk starts, while its bytes are kept
        int filled = 0;
        boolean eof = false;
        long offset = 0;
        boolean dropped = false; // the current chunk is too long to keep: scanning on from `at`
        int at = 0;
        long before = 0; // bytes of a dropped chunk before buf[at]
        while (true) {
            if (!dropped) {
                int available = filled - start;
                if (available == 0 && eof) {
                    return offset;
                }
                // A cut found in fewer than max bytes is final; NEED_MORE when they do not decide.
                int length = available == 0 ? Chunker.NEED_MORE : chunker.cut(buf, start, available, eof);
                if (length != Chunker.NEED_MORE) {
                    consumer.accept(offset, buf, start, length);
                    offset += length;
                    start += length;
                    continue;
                }
                if (start == 0 && filled == buf.length) {
                    // A full buffer and no cut: longer than keep, so not wanted. Follow it to its end.
                    dropped = true;
                    before = available;
                    at = filled;
                }
            } else {
                int rest = filled == at && !eof ? Chunker.NEED_MORE : chunker.resume(buf, at, filled - at, before, eof);
                if (rest != Chunker.NEED_MORE) {
                    long length = before + rest;
                    consumer.accept(offset, null, 0, (int) length);
                    offset += length;
                    start = at + rest;
                    dropped = false;
                    continue;
                }
                before += filled - at;
                at = filled;
            }
            // Compact (a dropped chunk keeps only the hash window before `at`), then fill.
            int from = dropped ? at - Buzhash.WINDOW : start;
            if (from > 0) {
                System.arraycopy(buf, from, buf, 0, filled - from);
                filled -= from;
                at -= from;
                start -= from;
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
    }
}
