package dev.jcasync.serve;

import com.sun.net.httpserver.HttpServer;
import dev.jcasync.store.LocalStore;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running HTTP server for one {@link LocalStore}, in the layout casync and desync fetch from
 * ({@code GET <url><4 hex>/<id>.cacnk}); see {@link ChunkHandler} for what it answers. Start one
 * with {@link #start}, stop it with {@link #close}.
 */
public final class ChunkServer implements Closeable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final LocalStore store;
    private final URI url;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ChunkServer(HttpServer server, ExecutorService workers, LocalStore store) {
        this.server = server;
        this.workers = workers;
        this.store = store;
        this.url = urlOf(server.getAddress());
    }

    /**
     * Serves {@code store} on {@code address} (port 0 picks a free port) until {@link #close}d.
     * The store directory is only ever read through chunk names, so it may be shared with writers.
     */
    public static ChunkServer start(LocalStore store, InetSocketAddress address, ServerOptions options)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService workers = Executors.newFixedThreadPool(options.threads(), daemonThreads());
        server.setExecutor(workers);
        server.createContext("/", new ChunkHandler(store, options));
        server.start();
        return new ChunkServer(server, workers, store);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The store URL to give clients, e.g. {@code http://127.0.0.1:41234/}. */
    public URI url() {
        return url;
    }

    public LocalStore store() {
        return store;
    }

    /** Blocks until {@link #close} has finished (for a command that serves until it is stopped). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops listening, drops open connections and waits briefly for running handlers. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            // No grace period: the JDK 17 server would wait all of it even when idle, and an
            // interrupted chunk transfer is harmless (clients retry or fail; uploads are atomic).
            server.stop(0);
            workers.shutdown();
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            closed.countDown();
        }
    }

    private static URI urlOf(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int scope = host.indexOf('%');
            host = "[" + (scope < 0 ? host : host.substring(0, scope)) + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + "/");
    }

    /** Named for thread dumps; daemons, so a handler stuck on a slow client cannot delay JVM exit after close. */
    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "jcasync-serve-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "chunk server for " + store.location() + " at " + url;
    }
}
