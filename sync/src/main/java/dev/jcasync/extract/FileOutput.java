package dev.jcasync.extract;

import dev.jcasync.io.AtomicFile;
import dev.jcasync.io.EarlyWriteback;
import dev.jcasync.io.Leftovers;
import dev.jcasync.io.Ranges;
import dev.jcasync.store.StoreUnavailableException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A random-access output opened for one run: a temporary file renamed over the target when
 * complete ({@link Atomic}), an existing file or device written where it is ({@link InPlace}), or,
 * for a plan, a read-only look at what a real run would find there ({@link Planned}). Positional
 * reads and writes, from any number of threads.
 */
abstract class FileOutput implements Closeable {
    /** The file being written (read only when planning); null when planning with nothing there. */
    final FileChannel channel;

    private EarlyWriteback writeback;

    FileOutput(FileChannel channel, boolean sync) {
        this.channel = channel;
        this.writeback = sync && channel != null ? EarlyWriteback.start(channel) : null;
    }

    /** Opens {@code target} for a real run. */
    static FileOutput open(OutputTarget target, ExtractOptions options) throws IOException {
        if (target instanceof OutputTarget.InPlace t) {
            return new InPlace(t.file(), options);
        }
        if (target instanceof OutputTarget.Replace t) {
            return Atomic.open(t.file(), options.sync());
        }
        throw new IllegalArgumentException("not a file output: " + target);
    }

    /** A look at {@code target} as a real run would find it, writing nothing. */
    static FileOutput planned(OutputTarget target, ExtractOptions options) throws IOException {
        if (target instanceof OutputTarget.InPlace t) {
            boolean exists = Files.exists(t.file());
            return new Planned(
                    exists ? FileChannel.open(t.file(), StandardOpenOption.READ) : null,
                    true,
                    exists && options.seedOutput() ? t.file() : null,
                    false);
        }
        if (target instanceof OutputTarget.Replace t) {
            Path leftover = Leftovers.newest(t.file());
            FileChannel resumed = null;
            if (leftover != null) {
                try {
                    resumed = FileChannel.open(leftover, StandardOpenOption.READ);
                } catch (IOException gone) {
                    // taken or removed meanwhile: a run would start afresh too
                }
            }
            return new Planned(resumed, resumed != null, null, resumed == null);
        }
        return new Planned(null, false, null, true); // a stream or no output: nothing to reuse
    }

    /** The output as the user named it, for messages (null when planning). */
    abstract Path name();

    /** Earlier content whose ranges are kept where already right (in place, a resumed temporary file); null if none. */
    abstract FileChannel earlierContent();

    /** In place with the output as a seed: the output's old content, searched for data that moved; else null. */
    Path movedFrom() {
        return null;
    }

    /** Whether ranges never written read as zeros (a fresh file), so zero chunks can be left as holes. */
    abstract boolean unwrittenIsZero();

    /** The {@code size} bytes at {@code offset}, or null where the output ends before them (or has nothing). */
    byte[] read(long offset, int size) throws IOException {
        return channel == null ? null : Ranges.read(channel, offset, size);
    }

    void write(ByteBuffer data, long offset) throws IOException {
        int size = data.remaining();
        if (size == 0) { // chunks are never empty: a plan's LOCATED reached a real output
            throw new IllegalStateException("no data to write at offset " + offset);
        }
        long pos = offset;
        try {
            while (data.hasRemaining()) {
                pos += channel.write(data, pos);
            }
        } catch (IOException e) {
            throw named(e, "cannot write at offset " + pos);
        }
        if (writeback != null) {
            writeback.wrote(size);
        }
    }

    /** Completes an output of {@code size} bytes: length, holes, sync, rename. */
    abstract void finish(long size) throws IOException;

    /** {@link #finish}, with an error that names no file said to be about this output. */
    final void complete(long size) throws IOException {
        try {
            finish(size);
        } catch (IOException e) {
            throw named(e, "cannot complete");
        }
    }

    /**
     * {@code e} if it names a file already, else the same error said to be about this output: a
     * channel's "No space left on device" or "Input/output error" alone names nothing.
     */
    private IOException named(IOException e, String doing) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof FileSystemException
                || e instanceof java.nio.channels.ClosedChannelException // another thread failed, or an interrupt
                || e instanceof java.io.InterruptedIOException
                || name() == null
                || message.contains(name().toString())) {
            return e;
        }
        return new IOException("output " + name() + ": " + doing + ": " + message, e);
    }

    /** The run failed because a store became unreachable: what to throw (a temporary file may be kept for the rerun). */
    IOException storeLost(StoreUnavailableException e) {
        return e;
    }

    /** Stops the early writeback; the final sync follows. */
    void stopWriteback() {
        if (writeback != null) {
            writeback.close();
            writeback = null;
        }
    }

    @Override
    public void close() throws IOException {
        stopWriteback();
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * A temporary file beside the target, renamed over it when complete, keeping the mode (and, as
     * root, the owner) of the file it replaces. An earlier run's abandoned temporary file is taken
     * over, and only what it lacks is written.
     */
    static final class Atomic extends FileOutput {
        private final Path target;
        private final Path temp;
        private final boolean resumed;
        private final boolean sync;
        private boolean keep;

        @Override
        Path name() {
            return target;
        }

        private Atomic(Path target, Path temp, FileChannel channel, boolean resumed, boolean sync) {
            super(channel, sync);
            this.target = target;
            this.temp = temp;
            this.resumed = resumed;
            this.sync = sync;
        }

        static Atomic open(Path target, boolean sync) throws IOException {
            Path temp = AtomicFile.tempBeside(target);
            FileChannel resumed = Leftovers.claim(target, temp);
            FileChannel channel = resumed;
            if (channel == null) {
                channel = FileChannel.open(
                        temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Leftovers.lock(channel);
            }
            return new Atomic(target, temp, channel, resumed != null, sync);
        }

        @Override
        FileChannel earlierContent() {
            return resumed ? channel : null;
        }

        @Override
        boolean unwrittenIsZero() {
            return !resumed;
        }

        @Override
        void finish(long size) throws IOException {
            stopWriteback();
            if (channel.size() < size) {
                channel.write(ByteBuffer.allocate(1), size - 1); // trailing zero chunks were left as a hole
            }
            channel.truncate(size);
            FileAttributes.copy(target, temp);
            AtomicFile.commit(temp, target, sync);
            keep = true;
        }

        @Override
        IOException storeLost(StoreUnavailableException e) {
            // The network may come back: keep what was written for the next run to continue from.
            keep = true;
            return new StoreUnavailableException(
                    e.getMessage() + "; the partial output " + temp.getFileName()
                            + " is kept and a rerun continues from it",
                    e);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (!keep) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    /** An existing file or block device (or a new file, asked for in place) written where it is. */
    static final class InPlace extends FileOutput {
        private final Path file;
        private final boolean existed;
        private final ExtractOptions options;

        @Override
        Path name() {
            return file;
        }

        InPlace(Path file, ExtractOptions options) throws IOException {
            this(file, Files.exists(file), options);
        }

        private InPlace(Path file, boolean existed, ExtractOptions options) throws IOException {
            super(
                    FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    options.sync());
            this.file = file;
            this.existed = existed;
            this.options = options;
        }

        @Override
        FileChannel earlierContent() {
            return channel;
        }

        @Override
        Path movedFrom() {
            return existed && options.seedOutput() ? file : null;
        }

        @Override
        boolean unwrittenIsZero() {
            return false;
        }

        @Override
        void finish(long size) throws IOException {
            stopWriteback();
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && channel.size() > size) {
                channel.truncate(size);
            }
            if (options.sync()) {
                channel.force(false);
            }
        }
    }

    /** What a real run would find, read only; writes go nowhere. */
    static final class Planned extends FileOutput {
        private final boolean keepsEarlier;
        private final Path movedFrom;
        private final boolean unwrittenIsZero;

        @Override
        Path name() {
            return null;
        }

        Planned(FileChannel channel, boolean keepsEarlier, Path movedFrom, boolean unwrittenIsZero) {
            super(channel, false);
            this.keepsEarlier = keepsEarlier;
            this.movedFrom = movedFrom;
            this.unwrittenIsZero = unwrittenIsZero;
        }

        @Override
        FileChannel earlierContent() {
            return keepsEarlier && channel != null ? channel : null;
        }

        @Override
        Path movedFrom() {
            return movedFrom;
        }

        @Override
        boolean unwrittenIsZero() {
            return unwrittenIsZero;
        }

        @Override
        void write(ByteBuffer data, long offset) {
            // a plan writes nothing
        }

        @Override
        void finish(long size) {
            // nothing written, nothing to complete
        }
    }
}
