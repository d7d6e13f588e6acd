package dev.jcasync.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action on every item of a (possibly long, lazily listed) sequence on a fixed number of
 * threads. Only a few items are handed out ahead, so a store of millions of files is never held
 * in memory; the first failure stops the rest and is rethrown.
 */
public final class Parallel {
    public interface Action<T> {
        void run(T item) throws IOException;
    }

    private Parallel() {}

    public static <T> void forEach(Iterator<T> items, int threads, Action<T> action) throws IOException {
        int slots = threads * 2;
        Semaphore free = new Semaphore(slots);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "jcasync-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            while (failure.get() == null && items.hasNext()) {
                T item = items.next();
                free.acquire();
                pool.execute(() -> {
                    try {
                        if (failure.get() == null) {
                            action.run(item);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        free.release();
                    }
                });
            }
            free.acquire(slots); // every task has finished
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } finally {
            pool.shutdownNow();
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
