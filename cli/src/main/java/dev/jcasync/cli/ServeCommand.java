package dev.jcasync.cli;

import dev.jcasync.serve.ChunkServer;
import dev.jcasync.serve.MissingChunks;
import dev.jcasync.serve.ReadThroughStore;
import dev.jcasync.serve.ServerOptions;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.LocalStore;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a chunk store over HTTP until interrupted, in the layout casync and desync",
            "read (GET <url><4 hex>/<id>.cacnk); with --writable also accept verified PUT uploads.",
            "Index files (<name>.caibx, <name>.caidx) at the top of the store are served too (and",
            "uploaded, with --writable). HTTP/1.1 and HTTP/2 (h2c; h2 over TLS with --tls-cert).",
            "Prints the store URL once listening; SIGTERM lets running requests finish, then stops.",
            "With --cache=DIR, --store may be any store (s3+https://..., http(s)://, a directory):",
            "chunks are served from DIR, and one missing there is fetched from the store once,",
            "verified and kept in DIR first (a read-only server in front of S3 for plain HTTP clients)."
        })
final class ServeCommand implements Callable<Integer> {
    private static final String DEFAULT_HOST = "127.0.0.1";

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(
            names = "--listen",
            paramLabel = "[HOST:]PORT",
            converter = ListenAddress.class,
            description = "Address to listen on (default 127.0.0.1:0, a free port on the loopback interface).")
    InetSocketAddress listen = new InetSocketAddress(DEFAULT_HOST, 0);

    @Option(
            names = "--writable",
            description = "Accept PUT of chunk files; each is verified against its id before it is stored.")
    boolean writable;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "With --writable: uploads must send 'Authorization: Bearer TOKEN'. Reads stay open.")
    String token;

    @Option(
            names = "--threads",
            paramLabel = "N",
            converter = Values.Positive.class,
            description = "Request handler threads (default: number of cores, at least 4).")
    Integer threads;

    @Option(
            names = "--access-log",
            paramLabel = "FILE",
            description = "Append one line per request (NCSA format) to FILE; '-' for standard output.")
    String accessLog;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve HTTPS (HTTP/1.1 and h2 by ALPN) with this PEM certificate chain; needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The PKCS#8 PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Serve from the store directory DIR, filling it from --store (any store location) on a miss.")
    Path cache;

    @Option(
            names = "--uploads-at-once",
            paramLabel = "N",
            converter = Values.Positive.class,
            description = "With --writable: uploads received and verified at once; more wait (default 4).")
    Integer uploadsAtOnce;

    @Override
    public Integer call() throws IOException, InterruptedException {
        InetSocketAddress address = listen;
        ServerOptions options = serverOptions(address);
        if (cache != null) {
            return serveThrough(address, options);
        }
        // The one local store directory to serve; created only when it will be written to.
        LocalStore target = new LocalStore(LocalStoreArg.of(store, null, "serve", writable)
                .root()
                .toAbsolutePath()
                .normalize());
        return serve(target, address, options, null, target.root().toString());
    }

    /** {@code --cache=DIR}: DIR served, filled from the {@code --store} on a miss. */
    private int serveThrough(InetSocketAddress address, ServerOptions options)
            throws IOException, InterruptedException {
        if (writable) {
            throw new ParameterException(spec.commandLine(), "--cache serves a read-only copy: no --writable");
        }
        LocalStore target = new LocalStore(cache.toAbsolutePath().normalize());
        Files.createDirectories(target.root());
        try (ChunkStore origin = store.openOne(LocalStoreArg.location(store, null, "serve"))) {
            if (origin instanceof LocalStore local
                    && local.root().toAbsolutePath().normalize().equals(target.root())) {
                throw new IllegalArgumentException("--cache=" + cache + " is the --store itself");
            }
            ReadThroughStore through = new ReadThroughStore(target, origin, ChunkVerifier.anyDigest());
            return serve(target, address, options, through, target.root() + " (cache of " + origin.location() + ")");
        }
    }

    private int serve(
            LocalStore target, InetSocketAddress address, ServerOptions options, MissingChunks missing, String what)
            throws IOException, InterruptedException {
        PrintStream log = openAccessLog();
        if (log != null) {
            options = options.withAccessLog(line -> {
                synchronized (log) {
                    log.println(line);
                    log.flush();
                }
            });
        }
        try (ChunkServer server = ChunkServer.start(target, address, options, missing)) {
            // SIGINT/SIGTERM run shutdown hooks: stop listening so the port is released at once.
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jcasync-serve-stop"));
            spec.commandLine().getOut().println("serving " + what + " at " + server.url());
            spec.commandLine().getOut().flush();
            server.awaitClosed();
        }
        return 0;
    }

    private PrintStream openAccessLog() throws IOException {
        if (accessLog == null) {
            return null;
        }
        if (accessLog.equals("-")) {
            return new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        }
        try {
            return new PrintStream(new FileOutputStream(accessLog, true), false, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("--access-log=" + accessLog + ": " + e.getMessage(), e);
        }
    }

    private ServerOptions serverOptions(InetSocketAddress address) {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (uploadsAtOnce != null && !writable) {
            throw new ParameterException(spec.commandLine(), "--uploads-at-once needs --writable");
        }
        if (token != null && !writable) {
            throw new ParameterException(spec.commandLine(), "--token guards uploads: it needs --writable");
        }
        if (token != null && token.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--token must not be empty");
        }
        if (writable && token == null && !address.getAddress().isLoopbackAddress()) {
            throw new ParameterException(spec.commandLine(), "--writable on a non-loopback address needs --token");
        }
        ServerOptions options = ServerOptions.defaults().withErrors(this::reportError);
        if (tlsCert != null) {
            options = options.withTls(tlsCert, tlsKey);
        }
        if (uploadsAtOnce != null) {
            options = options.withUploadsAtOnce(uploadsAtOnce);
        }
        if (writable) {
            options = options.withWritable(token);
        }
        return threads == null ? options : options.withThreads(threads);
    }

    /** {@code --listen}: a usage error (exit 2) if it is not an address to listen on. */
    static final class ListenAddress implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            try {
                return parseListen(value);
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw new TypeConversionException(e.getMessage().replace("--listen=" + value + ": ", ""));
            }
        }
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT} or just {@code PORT} (on 127.0.0.1). */
    static InetSocketAddress parseListen(String value) throws UnknownHostException {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? DEFAULT_HOST : value.substring(0, colon);
        String portText = value.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen=" + value + ": expected HOST:PORT, e.g. 127.0.0.1:8080");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("--listen=" + value + ": unknown host " + host);
        }
    }

    /** Storage errors go to stderr, for the operator: the client only sees a 500. */
    private void reportError(String message) {
        spec.commandLine().getErr().println("jcasync serve: " + message.replace('\n', ' '));
        spec.commandLine().getErr().flush();
    }
}
