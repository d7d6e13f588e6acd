package dev.jcasync.extract;

import dev.jcasync.io.EarlyWriteback;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sequential output: every byte written once, front to back, with plain writes from the
 * descriptor's current offset (standard output handed over positioned on a partition keeps that
 * offset; a pipe works the same). Nothing is read back, truncated or reopened. Behind a descriptor
 * that is a regular file or a block device the data is synced as a file's would be.
 */
final class StreamOutput implements Closeable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;

    private final WritableByteChannel channel;
    private final boolean closeAfter;
    /** The channel, when it is to be synced (a file or device behind it, and syncing asked for); else null. */
    private final FileChannel syncable;

    private EarlyWriteback writeback;

    private StreamOutput(WritableByteChannel channel, boolean closeAfter, FileChannel syncable) {
        this.channel = channel;
        this.closeAfter = closeAfter;
        this.syncable = syncable;
        this.writeback = syncable == null ? null : EarlyWriteback.start(syncable);
    }

    static StreamOutput open(OutputTarget.Stream target, boolean sync) throws IOException {
        WritableByteChannel channel = target.opener().open();
        FileChannel syncable =
                sync && channel instanceof FileChannel fc && isFileOrDevice(target.descriptor()) ? fc : null;
        return new StreamOutput(channel, target.closeAfter(), syncable);
    }

    /** Whether descriptor {@code fd} of this process is a regular file or a block device (Linux: seen through /proc). */
    private static boolean isFileOrDevice(int fd) {
        if (fd < 0) {
            return false;
        }
        try {
            int type = (Integer) Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:mode") & S_IFMT;
            return type == S_IFREG || type == S_IFBLK;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }

    /** Appends {@code data} (all of it) at the current position. */
    void write(ByteBuffer data) throws IOException {
        int size = data.remaining();
        while (data.hasRemaining()) {
            channel.write(data);
        }
        if (writeback != null) {
            writeback.wrote(size);
        }
    }

    /** Syncs what was written, where that means something. */
    void finish() throws IOException {
        stopWriteback();
        if (syncable != null) {
            syncable.force(false);
        }
    }

    private void stopWriteback() {
        if (writeback != null) {
            writeback.close();
            writeback = null;
        }
    }

    @Override
    public void close() throws IOException {
        stopWriteback();
        if (closeAfter) {
            channel.close();
        }
    }
}
