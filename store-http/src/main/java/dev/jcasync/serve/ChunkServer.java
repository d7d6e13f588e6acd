package dev.jcasync.serve;

import dev.jcasync.store.LocalStore;
import dev.jcasync.store.PemTls;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running HTTP server for one {@link LocalStore}, in the layout casync and desync fetch from
 * ({@code GET <url><4 hex>/<id>.cacnk}); see {@link ChunkHandler} for what it answers. Start one
 * with {@link #start}, stop it with {@link #close}.
 *
 * <p>Built on Jetty 12 (core handlers, no servlets): HTTP/1.1 with keep-alive and TCP_NODELAY,
 * HTTP/2 (h2c, or h2 by ALPN over TLS), non-blocking connections (a slow client holds no
 * thread), a bounded thread pool (virtual threads where the JVM has them), header and idle
 * timeouts, a connection limit and a graceful stop.
 */
public final class ChunkServer implements Closeable {
    private final Server server;
    private final ServerConnector connector;
    private final HeaderDeadline headerDeadline;
    private final LocalStore store;
    private final URI url;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ChunkServer(
            Server server, ServerConnector connector, HeaderDeadline headerDeadline, LocalStore store, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.headerDeadline = headerDeadline;
        this.store = store;
        this.url = urlOf(
                new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(), port()), tls);
    }

    /**
     * Serves {@code store} on {@code address} (port 0 picks a free port) until {@link #close}d.
     * The store directory is only ever read through chunk and index names, so it may be shared with writers.
     */
    public static ChunkServer start(LocalStore store, InetSocketAddress address, ServerOptions options)
            throws IOException {
        return start(store, address, options, null);
    }

    /**
     * {@link #start(LocalStore, InetSocketAddress, ServerOptions)}, and a chunk missing from
     * {@code store} is asked of {@code missing} first (null: none), which puts it there if it can
     * (a cache directory in front of S3: {@link ReadThroughStore}). Such a server is read-only.
     */
    public static ChunkServer start(
            LocalStore store, InetSocketAddress address, ServerOptions options, MissingChunks missing)
            throws IOException {
        if (missing != null && options.writable()) {
            throw new IllegalArgumentException("a server that fetches missing chunks from elsewhere is read-only");
        }
        int selectors = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        int acceptors = 1;
        int maxThreads = options.threads() + acceptors + selectors + 4;
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(maxThreads, 4 + acceptors + selectors));
        pool.setName("jcasync-serve");
        pool.setDaemon(true);
        if (VirtualThreads.areSupported()) {
            // Java 21+: handlers run on virtual threads; the pool only selects and accepts.
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("jcasync-serve-v"));
        }
        // Buffers up to 512 KiB are pooled (a chunk file is read into one, see ChunkHandler), with
        // what the pool keeps capped: memory stays bounded however many requests come and go.
        ArrayByteBufferPool buffers =
                new ArrayByteBufferPool.Quadratic(0, ChunkHandler.READ_WHOLE, 256, 64L << 20, 64L << 20);
        Server server = new Server(pool, null, buffers);
        server.setStopTimeout(options.stopTimeout().toMillis());
        server.setStopAtShutdown(false); // the CLI's shutdown hook calls close()

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(options.idleTimeout().toMillis());
        // Jetty reuses a connection's earlier header fields when a new one matches them, by default
        // ignoring case: "Authorization: Bearer T" after "... t" would be read as the first.
        http.setHeaderCacheCaseSensitive(true);
        // One write for headers and a small body; larger bodies go out as they are (mapped files).
        http.setOutputBufferSize(32 * 1024);

        boolean tls = options.tlsCert() != null;
        ConnectionFactory[] factories;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(PemTls.serverContext(options.tlsCert(), options.tlsKey()));
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // served by address as often as by name
            http.addCustomizer(secure);
            HttpConnectionFactory h1 = new HttpConnectionFactory(http);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", h1.getProtocol());
            alpn.setDefaultProtocol(h1.getProtocol());
            factories = new ConnectionFactory[] {new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1};
        } else {
            // HTTP/1.1, and HTTP/2 cleartext by prior knowledge or Upgrade: h2c.
            factories =
                    new ConnectionFactory[] {new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http)};
        }
        ServerConnector connector = new ServerConnector(server, acceptors, selectors, factories);
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        connector.setAcceptedTcpNoDelay(true);
        connector.setAcceptQueueSize(1024);
        HeaderDeadline headerDeadline = new HeaderDeadline(options.headerTimeout());
        connector.addBean(headerDeadline);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));

        if (options.accessLog() != null) {
            server.setRequestLog(new CustomRequestLog(options.accessLog()::accept, CustomRequestLog.NCSA_FORMAT));
        }
        Handler handler = new ChunkHandler(store, options);
        if (missing != null) {
            handler = new MissingChunkHandler(handler, store, missing, options.errors());
        }
        server.setHandler(new GracefulHandler(handler));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start failure is what matters
            }
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start the server on " + address + ": " + e.getMessage(), e);
        }
        headerDeadline.start();
        return new ChunkServer(server, connector, headerDeadline, store, tls);
    }

    public int port() {
        return connector.getLocalPort();
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

    /**
     * Stops listening at once, lets running requests finish (up to the stop timeout), then closes
     * every connection. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            headerDeadline.stop();
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort: an interrupted chunk transfer is harmless (clients retry; uploads are atomic).
        } finally {
            closed.countDown();
        }
    }

    private static URI urlOf(InetSocketAddress address, boolean tls) {
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int scope = host.indexOf('%');
            host = "[" + (scope < 0 ? host : host.substring(0, scope)) + "]";
        }
        return URI.create((tls ? "https://" : "http://") + host + ":" + address.getPort() + "/");
    }

    @Override
    public String toString() {
        return "chunk server for " + store.location() + " at " + url;
    }
}
