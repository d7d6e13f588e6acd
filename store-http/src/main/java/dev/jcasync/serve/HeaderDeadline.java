package dev.jcasync.serve;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes HTTP/1 connections whose request header has been arriving for longer than the header
 * timeout. The idle timeout cannot catch a client that trickles a byte every few seconds; the
 * connections are non-blocking, so such clients hold no thread, but they would hold a connection
 * slot forever. A sweep every quarter of the timeout (at most every second) looks at each
 * connection's parser: one seen mid-header on the same request for the whole timeout is closed.
 */
final class HeaderDeadline implements Connection.Listener {
    /** When a connection was first seen mid-header, and on which request (its count of requests so far). */
    private record Seen(long requests, long sinceNanos) {}

    private final long timeoutNanos;
    private final Map<HttpConnection, Seen> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "jcasync-serve-header-deadline");
        t.setDaemon(true);
        return t;
    });

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    void start() {
        long period = Math.max(50, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    void stop() {
        sweeper.shutdownNow();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Seen(-1, 0));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        open.replaceAll((connection, seen) -> {
            HttpParser parser = connection.getParser();
            if (parser.isStart() || !parser.inHeaderState()) {
                return new Seen(-1, 0); // idle between requests (the idle timeout's business), or past the header
            }
            long requests = connection.getMessagesIn();
            if (seen.requests() != requests) {
                return new Seen(requests, now);
            }
            if (now - seen.sinceNanos() >= timeoutNanos) {
                connection.getEndPoint().close();
            }
            return seen;
        });
    }
}
