package dev.jcasync.archive.write;

import static dev.jcasync.archive.CatarFormat.*;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The tree a tar extracts to, as {@code tar xpf --xattrs --numeric-owner} run as root (or under
 * fakeroot) would leave it, without extracting it: the tar is read once (Apache Commons Compress
 * parses ustar, GNU and PAX headers, long names, sparse files), its metadata kept in memory and
 * regular files' contents spilled into one temporary file, deleted on {@link #close}.
 *
 * <p>What it keeps in memory is bounded by {@link #MAX_ENTRIES} entries, each about 200 bytes plus
 * its name, link target and extended attributes; contents never stay in memory.
 *
 * <p>Directories the tar implies but does not hold (and the root, when the tar has no {@code ./})
 * are 0755, owned by 0:0, with mtime 0 (1970-01-01), so that the archive depends only on the tar.
 * A tar carries no inode flags (chattr), no project ids and no mount points: those read as none.
 */
public final class TarSource implements TreeSource, AutoCloseable {
    /** The most entries a tar may hold (each costs memory until the archive is written). */
    public static final int MAX_ENTRIES = 10_000_000;

    private static final String XATTR_PREFIX = "SCHILY.xattr.";
    private static final String ACL_ACCESS = "SCHILY.acl.access";
    private static final String ACL_DEFAULT = "SCHILY.acl.default";

    /** One inode of the extracted tree (hardlinks share it). */
    private static final class Inode {
        int mode;
        int uid;
        int gid;
        long mtimeNanos;
        long size;
        int rdevMajor;
        int rdevMinor;
        final long number;
        byte[] linkTarget;
        long spillOffset;
        Map<String, byte[]> xattrs = Map.of();
        boolean aclText;
        /** Children by name (ISO-8859-1 strings: one char per byte), directories only. */
        Map<String, Inode> children;

        Inode(long number) {
            this.number = number;
        }

        LinuxFs.Stat stat() {
            return new LinuxFs.Stat(mode, uid, gid, size, mtimeNanos, rdevMajor, rdevMinor, 0, 0, number, 1);
        }
    }

    private final byte[] display;
    private final Path spillPath;
    private final FileChannel spill;
    private final Inode root;
    private long inodes;
    private int entries;

    private TarSource(byte[] display, Path spillPath, FileChannel spill) {
        this.display = display;
        this.spillPath = spillPath;
        this.spill = spill;
        this.root = directory();
    }

    /**
     * Reads a whole tar (plain or gzip-compressed) from {@code in}.
     *
     * @param name the tar's name for messages
     * @param spillDirectory where the temporary file for contents goes
     * @throws IOException naming the tar and the entry that cannot be read or placed
     */
    public static TarSource read(InputStream in, String name, Path spillDirectory) throws IOException {
        Path path = Files.createTempFile(spillDirectory, ".jcasync-tar-", ".spill");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(
                    path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            TarSource t = new TarSource(name.getBytes(StandardCharsets.UTF_8), path, ch);
            t.load(in, name);
            return t;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private Inode directory() {
        Inode d = new Inode(++inodes);
        d.mode = S_IFDIR | 0755;
        d.children = new LinkedHashMap<>();
        return d;
    }

    private void load(InputStream raw, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        byte[] buf = new byte[1 << 17];
        TarArchiveEntry e;
        while (true) {
            try {
                e = tar.getNextEntry();
            } catch (IOException | RuntimeException ex) {
                throw new IOException(
                        name + ": not a readable tar after " + entries + " entries: " + ex.getMessage(), ex);
            }
            if (e == null) {
                break;
            }
            if (++entries > MAX_ENTRIES) {
                throw new IOException(name + ": more than " + MAX_ENTRIES + " entries");
            }
            add(e, tar, buf, name);
        }
    }

    private void add(TarArchiveEntry e, InputStream data, byte[] buf, String tarName) throws IOException {
        String path = e.getName();
        String where = tarName + ": entry " + path;
        List<String> parts = split(path, where);
        if (parts.isEmpty()) {
            if (!e.isDirectory()) {
                throw new IOException(where + ": the root must be a directory");
            }
            metadata(root, e, S_IFDIR, where);
            return;
        }
        Inode parent = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            Inode next = parent.children.get(parts.get(i));
            if (next == null) {
                next = directory();
                parent.children.put(parts.get(i), next);
            } else if (next.children == null) {
                throw new IOException(where + ": " + parts.get(i) + " is not a directory");
            }
            parent = next;
        }
        String leaf = parts.get(parts.size() - 1);
        Inode existing = parent.children.get(leaf);
        if (e.isLink()) {
            Inode target = lookup(e.getLinkName(), where);
            if (target.children != null) {
                throw new IOException(where + ": hardlink to a directory");
            }
            parent.children.put(leaf, target);
            return;
        }
        int type;
        if (e.isDirectory()) {
            type = S_IFDIR;
        } else if (e.isSymbolicLink()) {
            type = S_IFLNK;
        } else if (e.isCharacterDevice()) {
            type = S_IFCHR;
        } else if (e.isBlockDevice()) {
            type = S_IFBLK;
        } else if (e.isFIFO()) {
            type = S_IFIFO;
        } else if (e.isFile()) {
            type = S_IFREG;
        } else {
            throw new IOException(where + ": unsupported tar entry type (not a file, directory, link, device or fifo)");
        }
        Inode n;
        if (type == S_IFDIR && existing != null && existing.children != null) {
            n = existing; // a directory named again: its metadata is updated, its children stay
        } else {
            n = type == S_IFDIR ? directory() : new Inode(++inodes);
            parent.children.put(leaf, n);
        }
        metadata(n, e, type, where);
        if (type == S_IFLNK) {
            n.linkTarget = e.getLinkName().getBytes(StandardCharsets.UTF_8);
        } else if (type == S_IFCHR || type == S_IFBLK) {
            n.rdevMajor = e.getDevMajor();
            n.rdevMinor = e.getDevMinor();
        } else if (type == S_IFREG) {
            n.size = e.isSparse() ? e.getRealSize() : e.getSize();
            n.spillOffset = spill.position();
            long left = n.size;
            while (left > 0) {
                int r = data.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new IOException(where + ": truncated (" + (n.size - left) + " of " + n.size + " bytes)");
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, r);
                while (bb.hasRemaining()) {
                    spill.write(bb);
                }
                left -= r;
            }
        }
    }

    private void metadata(Inode n, TarArchiveEntry e, int type, String where) throws IOException {
        n.mode = type | (e.getMode() & 07777);
        n.uid = id(e.getLongUserId(), "uid", where);
        n.gid = id(e.getLongGroupId(), "gid", where);
        Instant t = e.getLastModifiedTime().toInstant();
        n.mtimeNanos = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        Map<String, byte[]> x = new HashMap<>();
        boolean acl = false;
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            if (key.startsWith(XATTR_PREFIX) && key.length() > XATTR_PREFIX.length()) {
                String value = h.getValue();
                if (value.indexOf('\uFFFD') >= 0) {
                    throw new IOException(where + ": extended attribute " + key.substring(XATTR_PREFIX.length())
                            + " has a value that is not UTF-8 text, which cannot be read from a tar here");
                }
                x.put(key.substring(XATTR_PREFIX.length()), value.getBytes(StandardCharsets.UTF_8));
            } else if (key.equals(ACL_ACCESS) || key.equals(ACL_DEFAULT)) {
                acl = true;
            }
        }
        n.xattrs = x.isEmpty() ? Map.of() : x;
        n.aclText = acl;
    }

    private static int id(long v, String what, String where) throws IOException {
        if (v < 0 || v > 0xffffffffL) {
            throw new IOException(where + ": " + what + " " + v + " does not fit 32 bits");
        }
        return (int) v;
    }

    /** The names of a tar path, without empty, . and leading / parts; .. is refused. */
    private static List<String> split(String path, String where) throws IOException {
        List<String> out = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new IOException(where + ": a path with .. is refused");
            }
            out.add(new String(p.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private Inode lookup(String path, String where) throws IOException {
        Inode n = root;
        for (String p : split(path, where)) {
            Inode next = n.children == null ? null : n.children.get(p);
            if (next == null) {
                throw new IOException(where + ": hardlink to " + path + ", which is not in the tar before it");
            }
            n = next;
        }
        return n;
    }

    @Override
    public byte[] rootDisplay() {
        return display.clone();
    }

    @Override
    public Node root() {
        return new TarNode(root);
    }

    @Override
    public void close() throws IOException {
        try {
            spill.close();
        } finally {
            Files.deleteIfExists(spillPath);
        }
    }

    /** An opened inode: the file contents' read position is its own. */
    private final class TarNode implements Node {
        private final Inode inode;
        private long position;

        TarNode(Inode inode) {
            this.inode = inode;
        }

        @Override
        public LinuxFs.Stat stat() {
            return inode.stat();
        }

        @Override
        public int inodeFlags() {
            return 0;
        }

        @Override
        public long projectId() {
            return 0;
        }

        @Override
        public List<byte[]> xattrNames() {
            List<byte[]> out = new ArrayList<>();
            for (String k : inode.xattrs.keySet()) {
                out.add(k.getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public byte[] xattr(byte[] name) throws IOException {
            String k = new String(name, StandardCharsets.UTF_8);
            if (inode.aclText && k.startsWith("system.posix_acl_")) {
                throw new IOException(
                        "POSIX ACLs in a tar (SCHILY.acl.*) are not supported; leave them out with --without=acl");
            }
            byte[] v = inode.xattrs.get(k);
            return v == null ? null : v.clone();
        }

        @Override
        public byte[] readlink() {
            return inode.linkTarget.clone();
        }

        @Override
        public int read(byte[] buf, int len) throws IOException {
            long left = inode.size - position;
            if (left <= 0) {
                return 0;
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(len, left));
            int n = spill.read(bb, inode.spillOffset + position);
            if (n <= 0) {
                throw new IOException(spillPath + ": temporary file ended early");
            }
            position += n;
            return n;
        }

        @Override
        public List<byte[]> list() {
            List<byte[]> out = new ArrayList<>(inode.children.size());
            for (String k : inode.children.keySet()) {
                out.add(k.getBytes(StandardCharsets.ISO_8859_1));
            }
            return out;
        }

        @Override
        public LinuxFs.Stat childStat(byte[] name, byte[] disp) {
            Inode c = inode.children.get(new String(name, StandardCharsets.ISO_8859_1));
            return c == null ? null : c.stat();
        }

        @Override
        public Node open(byte[] name, LinuxFs.Stat stat, byte[] disp) throws IOException {
            Inode c = inode.children.get(new String(name, StandardCharsets.ISO_8859_1));
            if (c == null) {
                throw new IOException(LinuxFs.display(disp) + ": not in the tar");
            }
            return new TarNode(c);
        }

        @Override
        public void close() {
            // nothing held: contents are read from the shared temporary file
        }
    }
}
