package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian package) serving a directory on 127.0.0.1, with its own config and an
 * access log the test can read. Missing nginx skips locally and fails under CI=true.
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path accessLog;

    private Nginx(Process process, int port, Path accessLog) {
        this.process = process;
        this.port = port;
        this.accessLog = accessLog;
    }

    static String binary() {
        for (String p : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("nginx is not installed, but CI=true: HTTP interop tests must run (apt-get install -y nginx-light)");
        }
        assumeTrue(false, "nginx not installed; test skipped");
        return null;
    }

    /** Serves {@code root}; {@code extraDirectives} go into the server block (e.g. "limit_rate 1m;"). */
    static Nginx serve(Path root, Path workDir, String extraDirectives) throws IOException, InterruptedException {
        String nginx = binary();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(workDir.resolve("logs"));
        Path log = workDir.resolve("logs/access.log");
        String conf = String.join(
                "\n",
                List.of(
                        // Workers otherwise run as nobody and cannot enter the test's private (0700) temp dirs.
                        "root".equals(System.getProperty("user.name")) ? "user root;" : "",
                        "worker_processes 1;",
                        "pid " + workDir.resolve("nginx.pid") + ";",
                        "error_log " + workDir.resolve("logs/error.log") + " warn;",
                        "events { worker_connections 256; }",
                        "http {",
                        "  access_log " + log + ";",
                        "  client_body_temp_path " + workDir.resolve("tmp") + ";",
                        "  default_type application/octet-stream;",
                        "  server {",
                        "    listen 127.0.0.1:" + port + ";",
                        "    root " + root.toAbsolutePath() + ";",
                        "    " + extraDirectives,
                        "  }",
                        "}",
                        ""));
        Path confFile = workDir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process p = new ProcessBuilder(nginx, "-p", workDir.toString(), "-c", confFile.toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("logs/stdout.log").toFile())
                .start();
        Nginx server = new Nginx(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    fail("nginx did not start: " + Files.readString(workDir.resolve("logs/stdout.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + "/" + path;
    }

    /** The request paths of GETs in the access log, in order. */
    List<String> requestedPaths(String method) throws IOException {
        // nginx flushes the log per request when no buffer is configured.
        return Files.readAllLines(accessLog).stream()
                .map(line -> line.split("\"", 3))
                .filter(parts -> parts.length > 1 && parts[1].startsWith(method + " "))
                .map(parts -> parts[1].split(" ")[1])
                .toList();
    }

    /** The body bytes nginx sent (combined log format) for requests of {@code method} whose path ends with {@code suffix}. */
    long bodyBytes(String method, String suffix) throws IOException {
        long sum = 0;
        for (String line : Files.readAllLines(accessLog)) {
            String[] parts = line.split("\"", 3); // [address etc., request, " status bytes ..."]
            if (parts.length == 3 && parts[1].startsWith(method + " ") && parts[1].split(" ")[1].endsWith(suffix)) {
                sum += Long.parseLong(parts[2].trim().split(" ")[1]);
            }
        }
        return sum;
    }

    @Override
    public void close() {
        process.destroy();
        if (!Cli.waitFor(process, 10)) {
            process.destroyForcibly();
        }
    }
}
