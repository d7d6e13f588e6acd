package dev.jcasync.extract;

import dev.jcasync.index.BlobIndex;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.TimeUnit;

/**
 * The blob an index describes as a channel read front to back: an {@link Assembler} writes it, as
 * it writes any sequential stream (every chunk verified, seeds and the cache used, fetches
 * overlapped, memory bounded by its window), into a pipe that this channel reads. A .caidx is read
 * this way and decoded as it arrives. If the assembler fails, reading fails with its error;
 * closing the channel early stops the assembler (its next write fails).
 */
public final class IndexStream implements ReadableByteChannel {
    private final Pipe.SourceChannel source;
    private final Thread writer;
    private volatile Throwable failure;
    private volatile ExtractReport report;
    private boolean open = true;

    private IndexStream(Pipe pipe, Assembler assembler, BlobIndex index, String name) {
        this.source = pipe.source();
        Pipe.SinkChannel sink = pipe.sink();
        this.writer = new Thread(
                () -> {
                    try (sink) {
                        report = assembler.extract(index, OutputTarget.stream(name, sink));
                    } catch (Throwable e) {
                        failure = e;
                    }
                },
                "index-stream");
        writer.setDaemon(true);
    }

    /** Starts rebuilding {@code index} with {@code assembler}; {@code name} names it in errors. */
    public static IndexStream open(Assembler assembler, BlobIndex index, String name) throws IOException {
        IndexStream s = new IndexStream(Pipe.open(), assembler, index, name);
        s.writer.start();
        return s;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = source.read(dst);
        if (n < 0) {
            finish();
        }
        return n;
    }

    /** Waits for the writer; rethrows what made it fail. */
    private void finish() throws IOException {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the index's blob");
        }
        Throwable f = failure;
        if (f instanceof IOException io) {
            throw io;
        } else if (f instanceof UncheckedIOException u) {
            throw u.getCause();
        } else if (f instanceof RuntimeException r) {
            throw r;
        } else if (f instanceof Error err) {
            throw err;
        } else if (f != null) {
            throw new IOException(f);
        }
    }

    /** Where the chunks came from (seeds, stores, bytes fetched); call once the stream was read to its end. */
    public ExtractReport report() throws IOException {
        finish();
        return report;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            source.close(); // the writer's next write fails, and it stops
            try {
                writer.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
