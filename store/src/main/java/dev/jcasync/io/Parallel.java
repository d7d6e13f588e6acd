package dev.jcasync.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action on every item of a (possibly long, lazily listed) sequence on a fixed number of
 * threads. Each thread takes the next item itself when it is free, so items are listed only as
 * they are taken (a store of millions of files is never held in memory) and nothing is handed
 * from thread to thread per item (a hand-off costs more than a small chunk's work). The first
 * failure stops the rest and is rethrown.
 */
public final class Parallel {
    public interface Action<T> {
        void run(T item) throws IOException;
    }

    private Parallel() {}

    public static <T> void forEach(Iterator<T> items, int threads, Action<T> action) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work = () -> {
            while (failure.get() == null) {
                T item;
                try {
                    synchronized (items) {
                        if (!items.hasNext()) {
                            return;
                        }
                        item = items.next();
                    }
                    action.run(item);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        Thread[] workers = new Thread[Math.max(1, threads)];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(work, "jcasync-worker");
            workers[i].setDaemon(true);
            workers[i].start();
        }
        try {
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e); // the workers stop after their current item
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        rethrow(failure.get());
    }

    /** Rethrows a task's failure as what it was: an IOException, a runtime exception or an error. */
    public static void rethrow(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof UncheckedIOException u) {
            throw u.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }
}
