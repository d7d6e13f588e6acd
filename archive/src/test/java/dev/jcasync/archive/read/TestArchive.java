package dev.jcasync.archive.read;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal catar writer for tests, independent of the production encoder: it writes the records of
 * docs/catar.md for a tree given node by node, in the order given (not sorted), with goodbye tables
 * that describe what was written, so single rules can be broken on purpose.
 */
final class TestArchive {
    /** nsec-time, permissions, symlinks, fifos, sockets, xattrs and the default high bits (portable.catar's word). */
    static final long WORD = 0xb000000010001b20L;

    record Node(byte[] name, int mode, byte[] content, byte[] target, List<Node> children) {
        static Node file(String name, String content) {
            return new Node(bytes(name), 0100644, bytes(content), null, null);
        }

        static Node symlink(String name, String target) {
            return new Node(bytes(name), 0120777, null, bytes(target), null);
        }

        static Node dir(String name, Node... children) {
            return new Node(bytes(name), 040755, null, null, List.of(children));
        }

        static Node named(byte[] name, Node n) {
            return new Node(name, n.mode, n.content, n.target, n.children);
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private TestArchive() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The archive of a root directory holding {@code children}. */
    static byte[] of(Node... children) {
        TestArchive a = new TestArchive();
        a.node(Node.dir("", children));
        return a.out.toByteArray();
    }

    private void node(Node n) {
        long entry = out.size();
        record(Records.ENTRY, u64(WORD), u64(n.mode), u64(0), u64(0), u64(0), u64(1_600_000_000_123_456_789L));
        if (n.content != null) {
            record(Records.PAYLOAD, n.content);
        } else if (n.target != null) {
            record(Records.SYMLINK, n.target, new byte[1]);
        } else if (n.children != null) {
            List<long[]> items = new ArrayList<>();
            for (Node c : n.children) {
                long start = out.size();
                record(Records.FILENAME, c.name, new byte[1]);
                node(c);
                items.add(new long[] {start, out.size() - start, SipHash.ofName(c.name)});
            }
            long g = out.size();
            items.sort((x, y) -> Long.compareUnsigned(x[2], y[2]));
            List<byte[]> parts = new ArrayList<>();
            for (long[] it : items) {
                parts.add(u64(g - it[0]));
                parts.add(u64(it[1]));
                parts.add(u64(it[2]));
            }
            long size = 16 + 24L * items.size() + 24;
            parts.add(u64(g - entry));
            parts.add(u64(size));
            parts.add(u64(Records.GOODBYE_TAIL_MARKER));
            record(Records.GOODBYE, parts.toArray(new byte[0][]));
        }
    }

    private void record(long type, byte[]... parts) {
        long size = 16;
        for (byte[] p : parts) {
            size += p.length;
        }
        out.writeBytes(u64(size));
        out.writeBytes(u64(type));
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long getU64(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static void putU64(byte[] b, int at, long v) {
        ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
    }

    /** The offset of the first record of {@code type} (walking records from the start; payloads are not looked into). */
    static int find(byte[] a, long type) {
        int at = 0;
        while (at + 16 <= a.length) {
            long size = getU64(a, at);
            if (getU64(a, at + 8) == type) {
                return at;
            }
            at += (int) size;
        }
        throw new AssertionError("no record of type " + Records.name(type));
    }

    /** testdata/vectors/catar, searched for upwards from the working directory. */
    static Path vectors() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("testdata/vectors/catar");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new AssertionError(
                "testdata/vectors/catar not found above " + Path.of("").toAbsolutePath());
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] r = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }
}
