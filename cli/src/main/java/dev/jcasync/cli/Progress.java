package dev.jcasync.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Progress of an extract on stderr: a bar redrawn in place on a terminal, or plain lines
 * ({@code progress DONE TOTAL PERCENT}) at most once a second for scripts.
 */
final class Progress implements LongConsumer, AutoCloseable {
    enum Mode {
        AUTO,
        BAR,
        PLAIN,
        NONE
    }

    private final Mode mode;
    private final long total;
    private final PrintWriter err;
    private final AtomicLong done = new AtomicLong();
    private volatile long lastPrint;

    Progress(Mode m, long total, PrintWriter err) {
        this.mode = m == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.NONE) : m;
        this.total = total;
        this.err = err;
    }

    @Override
    public void accept(long bytes) {
        long now = done.addAndGet(bytes);
        long t = System.nanoTime();
        long interval = mode == Mode.BAR ? 100_000_000L : 1_000_000_000L;
        if (mode != Mode.NONE && t - lastPrint >= interval) {
            synchronized (this) {
                if (t - lastPrint >= interval) {
                    lastPrint = t;
                    print(now, false);
                }
            }
        }
    }

    private void print(long now, boolean last) {
        double pct = total == 0 ? 100 : 100.0 * now / total;
        if (mode == Mode.PLAIN) {
            err.printf(Locale.ROOT, "progress %d %d %.1f%n", now, total, pct);
        } else if (mode == Mode.BAR) {
            int width = 40;
            int filled = (int) (pct / 100 * width);
            err.printf(
                    Locale.ROOT,
                    "\r[%s%s] %5.1f%% %d/%d MiB%s",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    pct,
                    now >> 20,
                    total >> 20,
                    last ? "\n" : "");
        }
        err.flush();
    }

    private boolean closed;

    /** Prints the final state once, however often it is called. */
    @Override
    public synchronized void close() {
        if (mode != Mode.NONE && !closed) {
            print(done.get(), true);
        }
        closed = true;
    }
}
