package dev.jcasync.store.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An HTTP proxy on 127.0.0.1 in front of a test S3 server that breaks GETs on purpose: for each
 * object path it picks (by {@code faulty}), the first attempt gets {@code 503 SlowDown}, the second
 * a body cut off halfway, the third a connection closed with no answer, and later ones go through.
 * Everything else goes through untouched. One request per connection (it answers
 * {@code Connection: close}); requests are forwarded byte for byte, so signatures stay valid.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final Predicate<String> faulty;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final AtomicLong faults = new AtomicLong();
    private final Map<String, AtomicLong> byMethod = new ConcurrentHashMap<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();

    public FaultProxy(int upstreamPort, Predicate<String> faulty) throws IOException {
        this(upstreamPort, faulty, loopback());
    }

    /** A proxy that accepts on {@code listener}, bound to 127.0.0.1 (a TLS server socket: an HTTPS front). */
    public FaultProxy(int upstreamPort, Predicate<String> faulty, ServerSocket listener) {
        this.upstreamPort = upstreamPort;
        this.faulty = faulty;
        this.listener = listener;
        threads.execute(this::accept);
    }

    private static ServerSocket loopback() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }

    /** The head (request line and header fields) of every request received, in order. */
    public List<String> requestHeads() {
        return heads;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Complete GET answers (200 with the whole body) delivered for {@code path}. */
    public int delivered(String path) {
        AtomicInteger n = delivered.get(path);
        return n == null ? 0 : n.get();
    }

    /** All complete GET answers per path. */
    public Map<String, AtomicInteger> delivered() {
        return delivered;
    }

    /** Requests per method since the last call, e.g. {@code GET=12 HEAD=3}, sorted by method; resets the counts. */
    public String takeCounts() {
        StringBuilder sb = new StringBuilder();
        for (String method : new java.util.TreeSet<>(byMethod.keySet())) {
            long n = byMethod.get(method).getAndSet(0);
            sb.append(sb.length() == 0 ? "" : " ").append(method).append('=').append(n);
        }
        return sb.toString();
    }

    /** Faults injected so far. */
    public long faults() {
        return faults.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            heads.add(headText);
            String[] requestLine =
                    headText.substring(0, headText.indexOf("\r\n")).split(" ");
            String method = requestLine[0];
            String path = requestLine[1];
            byMethod.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
            long length = contentLength(headText);
            byte[] body = in.readNBytes((int) Math.max(0, length));
            int attempt = 0;
            if (method.equals("GET") && faulty.test(path)) {
                attempt =
                        attempts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            OutputStream out = client.getOutputStream();
            if (attempt == 1) {
                faults.incrementAndGet();
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                                + "<Message>Please reduce your request rate.</Message></Error>")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(xml);
                out.flush();
                return;
            }
            if (attempt == 3) {
                faults.incrementAndGet();
                client.setSoLinger(true, 0); // a reset, no answer
                return;
            }
            byte[] answer = forward(head, body);
            String answerHead = new String(answer, 0, headLength(answer), StandardCharsets.ISO_8859_1);
            boolean ok = answerHead.startsWith("HTTP/1.1 200");
            if (attempt == 2 && ok) {
                faults.incrementAndGet();
                int cut = headLength(answer) + (answer.length - headLength(answer)) / 2;
                out.write(answer, 0, cut);
                out.flush();
                client.setSoLinger(true, 0);
                return;
            }
            out.write(answer);
            out.flush();
            if (ok && method.equals("GET")) {
                delivered.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
        } catch (IOException e) {
            // the client went away: nothing to do
        }
    }

    /** Sends the request upstream on a fresh connection (Connection: close) and reads the whole answer. */
    private byte[] forward(byte[] head, byte[] body) throws IOException {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        StringBuilder rewritten = new StringBuilder();
        for (String line : text.split("\r\n")) {
            if (line.isEmpty() || line.regionMatches(true, 0, "Connection:", 0, 11)) {
                continue;
            }
            rewritten.append(line).append("\r\n");
        }
        rewritten.append("Connection: close\r\n\r\n");
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            OutputStream out = upstream.getOutputStream();
            out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            byte[] answer = upstream.getInputStream().readAllBytes();
            return withConnectionClose(answer);
        }
    }

    /** The answer with its Connection header set to close, so the client opens a new connection for the next request. */
    private static byte[] withConnectionClose(byte[] answer) {
        int headEnd = headLength(answer);
        String text = new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1);
        StringBuilder head = new StringBuilder();
        for (String line : text.split("\r\n")) {
            if (line.isEmpty() || line.regionMatches(true, 0, "Connection:", 0, 11)) {
                continue;
            }
            head.append(line).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(answer, headEnd, answer.length - headEnd);
        return out.toByteArray();
    }

    /** The length of the head including the blank line (the whole array if there is none). */
    private static int headLength(byte[] message) {
        for (int i = 3; i < message.length; i++) {
            if (message[i - 3] == '\r' && message[i - 2] == '\n' && message[i - 1] == '\r' && message[i] == '\n') {
                return i + 1;
            }
        }
        return message.length;
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
