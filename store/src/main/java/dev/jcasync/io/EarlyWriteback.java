package dev.jcasync.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes a file being written to disk while it is being written, so that the final sync (before
 * an extract renames its output into place) waits for the last few megabytes only, not for the
 * whole image: the kernel would otherwise keep a gigabyte dirty until that sync. A thread of its
 * own syncs the file after every {@value #STEP_BYTES} bytes the writers report; it only waits on
 * the disk, so it takes no CPU from them. Its errors are ignored: the final sync reports them.
 */
public final class EarlyWriteback implements AutoCloseable {
    private static final long STEP_BYTES = 64L << 20;

    private final FileChannel file;
    private final AtomicLong written = new AtomicLong();
    /** The byte count at which the next sync is due. */
    private final AtomicLong nextSyncAt = new AtomicLong(STEP_BYTES);

    private final Thread syncer;
    private volatile boolean closed;

    private EarlyWriteback(FileChannel file) {
        this.file = file;
        this.syncer = new Thread(this::syncLoop, "jcasync-writeback");
        syncer.setDaemon(true);
    }

    public static EarlyWriteback start(FileChannel file) {
        EarlyWriteback w = new EarlyWriteback(file);
        w.syncer.start();
        return w;
    }

    /** Called by the writers after writing {@code bytes} more. Thread-safe. */
    public void wrote(long bytes) {
        long total = written.addAndGet(bytes);
        long due = nextSyncAt.get();
        if (total >= due && nextSyncAt.compareAndSet(due, total + STEP_BYTES)) {
            LockSupport.unpark(syncer);
        }
    }

    private void syncLoop() {
        long syncedAt = 0;
        while (!closed) {
            LockSupport.park(this);
            long now = written.get();
            if (!closed && now > syncedAt) {
                try {
                    file.force(false);
                } catch (IOException | RuntimeException e) {
                    return; // the final sync sees the same error and reports it
                }
                syncedAt = now;
            }
        }
    }

    /** Stops the syncing thread (waits for a sync in progress); the caller makes the final sync. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(syncer);
        try {
            syncer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
