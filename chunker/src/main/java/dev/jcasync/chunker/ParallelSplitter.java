package dev.jcasync.chunker;

import dev.jcasync.chunker.ChunkSplitter.ChunkConsumer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongUnaryOperator;

/**
 * Cuts a seekable blob exactly where {@link ChunkSplitter} (and casync) would, on several threads.
 *
 * <p>The blob is split into pieces; each piece is chunked on its own as if a chunk started at the
 * piece's start. A cut depends only on the bytes from the previous cut (at most max of them), so
 * two chunkings that share one cut agree on every later one. The calling thread walks the true
 * (sequential) cuts in order: inside a piece it follows that piece's cuts from the first true cut
 * that is one of them, and until then it chunks sequentially itself (usually a chunk or two; a
 * long run of zeros, cut only at max size, may take a whole piece). Each piece's buffer holds max
 * bytes beyond the piece's end, so every chunk that starts in a piece lies in its buffer.
 */
public final class ParallelSplitter {
    private static final int PIECE_BYTES = 4 << 20;

    private final Chunker chunker;
    private final int threads;
    private final long pieceBytes;

    /** {@code threads} threads chunk pieces (the calling thread hands out the chunks). */
    public ParallelSplitter(ChunkSizes sizes, int threads) {
        this(sizes, threads, pieceSize(sizes));
    }

    /** As {@link #ParallelSplitter(ChunkSizes, int)} with pieces of {@code pieceBytes} (tests use tiny ones). */
    public ParallelSplitter(ChunkSizes sizes, int threads, long pieceBytes) {
        if (pieceBytes < 1 || pieceBytes > Integer.MAX_VALUE - 8 - sizes.max()) {
            throw new IllegalArgumentException("piece size " + pieceBytes + " out of range");
        }
        this.chunker = new Chunker(sizes);
        this.threads = Math.max(1, threads);
        this.pieceBytes = pieceBytes;
    }

    /** The default piece size: a multiple of max, so that fixed-size chunks start every piece. */
    static long pieceSize(ChunkSizes sizes) {
        long max = sizes.max();
        return Math.max(1, (PIECE_BYTES + max - 1) / max) * max;
    }

    /** Splits all of {@code in}, handing each chunk to {@code consumer} in order; returns the bytes chunked. */
    public long split(PositionalInput in, ChunkConsumer consumer) throws IOException {
        return split(in, start -> start + pieceBytes, consumer);
    }

    /** Receives, in order, the chunks that start in one piece (never none). */
    @FunctionalInterface
    public interface PieceConsumer {
        void accept(PieceChunks chunks) throws IOException;
    }

    /**
     * The true chunks that start in one piece, all inside the piece's buffer, so that they can be
     * used in place, without a copy. The receiver may keep the buffer after {@code accept}
     * returns, and gives it back with {@link #release} (from any thread) when done with it.
     */
    public static final class PieceChunks {
        private final byte[] data;
        private final long dataOffset;
        private final int[] starts;
        private final int[] lengths;
        private final int count;
        private final Runnable release;

        PieceChunks(byte[] data, long dataOffset, int[] starts, int[] lengths, int count, Runnable release) {
            this.data = data;
            this.dataOffset = dataOffset;
            this.starts = starts;
            this.lengths = lengths;
            this.count = count;
            this.release = release;
        }

        /** The buffer; it may be longer than the chunks reach. */
        public byte[] data() {
            return data;
        }

        /** Where {@code data()[0]} is in the blob. */
        public long dataOffset() {
            return dataOffset;
        }

        public int count() {
            return count;
        }

        /** Where chunk {@code i} starts in {@code data()}. */
        public int start(int i) {
            return starts[i];
        }

        public int length(int i) {
            return lengths[i];
        }

        /** Gives the buffer back for another piece; the bytes must not be used afterwards. */
        public void release() {
            release.run();
        }
    }

    /**
     * Splits all of {@code in}, handing the chunks to {@code consumer} a piece at a time, in
     * order, in the pieces' buffers. Returns the bytes chunked. Buffers the consumer holds on to
     * are not reused, so it bounds the memory by releasing them.
     */
    public long splitPieces(PositionalInput in, PieceConsumer consumer) throws IOException {
        return splitPieces(in, start -> start + pieceBytes, consumer);
    }

    long split(PositionalInput in, LongUnaryOperator nextPieceStart, ChunkConsumer consumer) throws IOException {
        return splitPieces(in, nextPieceStart, piece -> {
            try {
                for (int i = 0; i < piece.count(); i++) {
                    consumer.accept(piece.dataOffset() + piece.start(i), piece.data(), piece.start(i), piece.length(i));
                }
            } finally {
                piece.release();
            }
        });
    }

    /**
     * As {@link #splitPieces(PositionalInput, PieceConsumer)} with the pieces chosen by {@code
     * nextPieceStart} (given a piece's start, the next one's, greater); tests use it to place piece
     * boundaries anywhere.
     */
    long splitPieces(PositionalInput in, LongUnaryOperator nextPieceStart, PieceConsumer consumer) throws IOException {
        long size = in.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jcasync-chunker");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Walk(in, size, nextPieceStart, pool).run(consumer);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One piece: its chunking from its own start, and the bytes to its end plus max. */
    private static final class Piece {
        final long start;
        final long end;
        byte[] data;
        /** Ends of the piece's own chunks, relative to start, up to the first at or past end. */
        int[] cuts = new int[64];

        int cutCount;

        Piece(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    private final class Walk {
        private final PositionalInput in;
        private final long size;
        private final LongUnaryOperator nextPieceStart;
        private final ExecutorService pool;
        private final ArrayDeque<Future<Piece>> pending = new ArrayDeque<>();
        /** Buffers given back, possibly by other threads. */
        private final Queue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();

        private long nextStart;

        Walk(PositionalInput in, long size, LongUnaryOperator nextPieceStart, ExecutorService pool) {
            this.in = in;
            this.size = size;
            this.nextPieceStart = nextPieceStart;
            this.pool = pool;
        }

        long run(PieceConsumer consumer) throws IOException {
            try {
                long p = 0; // the last true cut
                while (p < size) {
                    fill();
                    Piece piece = await(pending.poll());
                    byte[] data = piece.data;
                    if (p >= piece.end) {
                        freeBuffers.add(data); // the previous piece's cuts passed over it
                        continue;
                    }
                    PieceChunks chunks = walkPiece(piece, p);
                    p = piece.start + chunks.start(chunks.count() - 1) + chunks.length(chunks.count() - 1);
                    consumer.accept(chunks);
                }
                return size;
            } finally {
                for (Future<Piece> f : pending) {
                    f.cancel(true);
                }
            }
        }

        /** The true chunks that start in {@code piece}, the first at {@code p}. */
        private PieceChunks walkPiece(Piece piece, long p) {
            byte[] data = piece.data;
            int[] starts = new int[Math.max(4, piece.cutCount + 2)];
            int[] lengths = new int[starts.length];
            int count = 0;
            long dataEnd = Math.min(size, piece.end + chunker.sizes().max());
            int k = 0;
            boolean synced = p == piece.start;
            while (p < piece.end) {
                if (!synced) {
                    while (k < piece.cutCount && piece.start + piece.cuts[k] < p) {
                        k++;
                    }
                    synced = k < piece.cutCount && piece.start + piece.cuts[k] == p;
                    if (synced) {
                        k++;
                    }
                }
                int from = (int) (p - piece.start);
                int length;
                if (synced) {
                    length = piece.cuts[k++] - from;
                } else {
                    length = chunker.cut(data, from, (int) (dataEnd - p), dataEnd == size);
                }
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                    lengths = Arrays.copyOf(lengths, count * 2);
                }
                starts[count] = from;
                lengths[count++] = length;
                p += length;
            }
            return new PieceChunks(data, piece.start, starts, lengths, count, () -> freeBuffers.add(data));
        }

        /** Keeps threads + 1 pieces ahead of the walk. */
        private void fill() {
            while (pending.size() <= threads && nextStart < size) {
                long start = nextStart;
                long end = Math.min(size, nextPieceStart.applyAsLong(start));
                if (end <= start) {
                    throw new IllegalArgumentException("piece boundary " + end + " does not follow " + start);
                }
                nextStart = end;
                Piece piece = new Piece(start, end);
                byte[] buffer = freeBuffers.poll();
                pending.add(pool.submit(() -> chunkPiece(piece, buffer)));
            }
        }

        private Piece chunkPiece(Piece piece, byte[] buffer) throws IOException {
            long dataEnd = Math.min(size, piece.end + chunker.sizes().max());
            int length = Math.toIntExact(dataEnd - piece.start);
            byte[] data = buffer != null && buffer.length >= length ? buffer : new byte[length];
            in.readFully(piece.start, data, 0, length);
            piece.data = data;
            boolean endOfInput = dataEnd == size;
            int pieceLength = (int) (piece.end - piece.start);
            int at = 0;
            while (at < pieceLength) {
                // At least max bytes follow every position before the piece's end, or the input ends.
                at += chunker.cut(data, at, length - at, endOfInput);
                if (piece.cutCount == piece.cuts.length) {
                    piece.cuts = Arrays.copyOf(piece.cuts, piece.cutCount * 2);
                }
                piece.cuts[piece.cutCount++] = at;
            }
            return piece;
        }

        private Piece await(Future<Piece> f) throws IOException {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("chunking interrupted");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new UncheckedIOException(new IOException(cause));
            }
        }
    }
}
