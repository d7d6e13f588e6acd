package dev.jcasync.archive.read;

import com.sun.jna.Memory;
import dev.jcasync.archive.Libc;
import dev.jcasync.archive.Libc.Failure;
import dev.jcasync.archive.read.CatarNode.Kind;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rebuilds the tree a {@link CatarReader} reads inside a destination directory (docs/catar.md
 * 10.5), as casync extracts: the root's metadata goes to the destination itself; directories are
 * made under their final name (mode 0700 until their metadata is applied, after their children);
 * every other node is made under a temporary name {@code .#NAME<hex>} in its directory, gets its
 * metadata there and is then renamed into place, so a destination never holds a half-written file.
 * In a destination that already existed, what the archive does not contain is removed (unless
 * {@link Options#delete} is off) and a node of another type is replaced.
 *
 * <p>Safety: every call is relative to a directory descriptor this run opened (with links not
 * followed) and takes one name the reader checked (not empty, {@code .}, {@code ..}, no '/' or
 * NUL), as raw bytes, so nothing is written outside the destination, no symlink inside it is ever
 * followed, and names that are not UTF-8 are made as they are.
 *
 * <p>Restored, as far as the extraction mask ({@code normalize(widen(archive) & widen(requested))})
 * allows: contents (zero blocks as holes), types (devices only as root), owners (as root; names
 * before numbers, shifted by {@link Options#uidShift}), modes, POSIX ACLs, xattrs of every
 * namespace, SELinux labels, file capabilities, chattr flags, FAT attributes (on FAT), quota
 * project ids, mtimes to the nanosecond. What the file system or the user cannot have (a trusted
 * xattr as non-root, a label where SELinux is off) is a warning, once per kind.
 */
public final class DirectoryExtractor {
    private static final int BLOCK = 4096;
    private static final int BUFFER = 1 << 17;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] DOT = {'.'};
    /** chattr flags casync sets on a new file before writing it (they only take on empty files). */
    private static final long EARLY_FLAGS = FeatureFlags.WITH_FLAG_NOATIME
            | FeatureFlags.WITH_FLAG_COMPR
            | FeatureFlags.WITH_FLAG_NOCOW
            | FeatureFlags.WITH_FLAG_NOCOMP
            | FeatureFlags.WITH_FLAG_PROJINHERIT;

    /**
     * How to extract: {@code mask} the feature bits to restore (casync's {@code --with/--without}
     * on extract; all by default), {@code delete} what a directory held that the archive lacks,
     * {@code undoImmutable} clear immutable/append-only flags of what is replaced or removed,
     * {@code punchHoles} leave zero blocks as holes, and the uid shift and range ({@code
     * --uid-shift}, {@code --uid-range}).
     */
    public record Options(
            long mask, boolean delete, boolean undoImmutable, boolean punchHoles, long uidShift, long uidRange) {
        public static Options defaults() {
            return new Options(-1L, true, false, true, 0, 1L << 32);
        }

        public Options withMask(long m) {
            return new Options(m, delete, undoImmutable, punchHoles, uidShift, uidRange);
        }

        public Options withDelete(boolean d) {
            return new Options(mask, d, undoImmutable, punchHoles, uidShift, uidRange);
        }

        public Options withUndoImmutable(boolean u) {
            return new Options(mask, delete, u, punchHoles, uidShift, uidRange);
        }

        public Options withPunchHoles(boolean p) {
            return new Options(mask, delete, undoImmutable, p, uidShift, uidRange);
        }

        public Options withUidMapping(long shift, long range) {
            return new Options(mask, delete, undoImmutable, punchHoles, shift, range);
        }
    }

    private final Path destination;
    private final Consumer<String> warnings;
    private final Options options;
    private final boolean privileged;
    private final int umask;
    private final Set<String> warned = new HashSet<>();
    /** Temporary names: a random base per run, then a counter (O_EXCL refuses a clash anyway). */
    private long nameCounter = new SecureRandom().nextLong();

    private final byte[] buffer = new byte[BUFFER];
    private Memory nativeBuffer;
    private String archive = "archive";
    private long mask = -1;
    /** Trees whose unchanged files are reused ({@link #reuseFrom}); empty: every file is written. */
    private List<Path> seedTrees = List.of();

    private boolean hardlink;
    private boolean reflink;
    private Path rootReal;
    private long hardlinked;
    private long cloned;

    /**
     * A directory being filled: its descriptor, and, if it existed before, the names the archive has
     * (as ISO-8859-1 strings, one char per byte); {@code fresh} if this run made it and its parents,
     * so that nothing in it has ACLs or xattrs to take away (none inherited either).
     */
    private record Open(int fd, CatarNode node, Set<String> kept, boolean fresh) {}

    /** Where a node is: a name in a directory, or ({@code name == null}) the open directory itself. */
    private record At(int dirfd, byte[] name) {
        static At self(int fd) {
            return new At(fd, null);
        }

        boolean isSelf() {
            return name == null;
        }

        /** A path for the xattr calls that reaches the node without following it. */
        byte[] xattrPath() {
            return PosixFs.procPath(dirfd, isSelf() ? DOT : name);
        }
    }

    /** Extracts into {@code destination} with casync's defaults; see {@link #DirectoryExtractor(Path, Consumer, Options)}. */
    public DirectoryExtractor(Path destination, Consumer<String> warnings) {
        this(destination, warnings, Options.defaults());
    }

    /**
     * Extracts into {@code destination} (created if missing; a symlink there is followed, as the
     * destination is the caller's choice); {@code warnings} receives one line per kind of metadata
     * that could not be restored.
     */
    public DirectoryExtractor(Path destination, Consumer<String> warnings, Options options) {
        this.destination = destination;
        this.warnings = warnings;
        this.options = options;
        this.privileged = status("Uid:", 10) == 0;
        int m = status("Umask:", 8);
        this.umask = m < 0 ? 022 : m;
    }

    /**
     * casync's {@code --hardlink} and {@code --reflink}: a regular file whose content equals the file
     * at the same path in one of {@code trees} (the output directory itself may be one) is not
     * written from the archive. With {@code hardlink}, if its metadata (owner, mode, mtime, user.*
     * xattrs) is what the extract would set too, and the archive records no ACL, capability,
     * SELinux label or chattr attribute for it, it becomes a hard link to the seed's file (the same
     * file, if the seed is the output). Otherwise, with {@code reflink}, it is a copy-on-write clone
     * of the seed's file where the file system can make one, else a copy of it. The content is
     * compared as the archive is read; a difference part way falls back to writing, the equal
     * prefix copied from the seed.
     */
    public DirectoryExtractor reuseFrom(List<Path> trees, boolean hardlink, boolean reflink) {
        this.seedTrees = List.copyOf(trees);
        this.hardlink = hardlink;
        this.reflink = reflink;
        return this;
    }

    /** Files made hard links to a seed's file (or kept as they were) by the last extract. */
    public long hardlinked() {
        return hardlinked;
    }

    /** Files cloned (or, where the file system cannot, copied) from a seed's file by the last extract. */
    public long cloned() {
        return cloned;
    }

    /** Reads the whole archive from {@code reader} into the destination; {@code archive} names it in errors. */
    public void extract(CatarReader reader, String archive) throws IOException {
        extract(reader, archive, null);
    }

    /**
     * casync's {@code extract ARCHIVE DIR PATH}: only the node at {@code subtree} (a path in the
     * archive; slashes around and between names do not matter; empty or null: the whole archive) is
     * made, under its own name inside the destination, which is then only its place: the
     * destination's own metadata is left alone and nothing else in it is removed.
     *
     * @throws IOException "seek path not available" if the archive has no such node
     */
    public void extract(CatarReader reader, String archive, String subtree) throws IOException {
        this.archive = archive;
        byte[] seek = normalizeSeekPath(subtree);
        boolean found = false;
        int outside = 0; // directories entered that are not in the subtree
        Deque<Open> stack = new ArrayDeque<>();
        try {
            for (CatarEvent e = reader.next(); e != null; e = reader.next()) {
                CatarNode node = e.node();
                boolean in = seek == null || node.isRoot() || within(node.path, seek);
                if (seek != null && java.util.Arrays.equals(node.path, seek)) {
                    found = true;
                }
                switch (e.type()) {
                    case ENTER -> {
                        if (!in) {
                            outside++;
                        } else {
                            stack.push(
                                    node.isRoot() ? openRoot(node, seek != null) : openDirectory(stack.peek(), node));
                        }
                    }
                    case LEAVE -> {
                        if (!in) {
                            outside--;
                            continue;
                        }
                        Open open = stack.peek();
                        if (!(seek != null && node.isRoot())) { // a boundary keeps its own metadata
                            if (open.kept != null && options.delete) {
                                removeOthers(open);
                            }
                            applyMetadata(At.self(open.fd), node, open.fresh);
                            applyFlags(open.fd, node);
                        }
                        stack.pop();
                        Libc.close(open.fd);
                    }
                    case NODE -> {
                        if (in) {
                            place(stack.peek(), node, reader);
                        }
                    }
                }
            }
        } finally {
            while (!stack.isEmpty()) {
                Libc.close(stack.pop().fd);
            }
        }
        if (seek != null && !found) {
            throw new IOException(archive + ": seek path " + CatarPrinter.escape(seek) + " not available in archive");
        }
    }

    /** The path's names joined by single slashes; null for none (the whole archive). */
    static byte[] normalizeSeekPath(String subtree) {
        if (subtree == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (String part : subtree.split("/")) {
            if (!part.isEmpty()) {
                b.append(b.length() == 0 ? "" : "/").append(part);
            }
        }
        return b.length() == 0 ? null : b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code path} is {@code top} or below it. */
    private static boolean within(byte[] path, byte[] top) {
        if (path.length < top.length || !java.util.Arrays.equals(path, 0, top.length, top, 0, top.length)) {
            return false;
        }
        return path.length == top.length || path[top.length] == '/';
    }

    /** The destination; as a {@code boundary} (a subtree goes into it) nothing in it is removed. */
    private Open openRoot(CatarNode node, boolean boundary) throws IOException {
        mask = FeatureFlags.normalize(FeatureFlags.widen(node.features) & FeatureFlags.widen(options.mask));
        boolean existed = Files.exists(destination);
        if (!existed) {
            Files.createDirectories(destination); // as casync: 0777 & ~umask
        }
        rootReal = destination.toRealPath();
        byte[] path = destination.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        int fd;
        try {
            fd = PosixFs.openat(Libc.AT_FDCWD, path, Libc.O_RDONLY | Libc.O_DIRECTORY, 0);
        } catch (Failure f) {
            throw new IOException(destination + ": " + (f.errno == Libc.ENOTDIR ? "not a directory" : f.getMessage()));
        }
        return new Open(fd, node, existed && !boundary ? new HashSet<>() : null, false);
    }

    private Open openDirectory(Open parent, CatarNode node) throws IOException {
        byte[] name = checkedName(parent, node);
        try {
            int type = PosixFs.typeOf(parent.fd, name);
            boolean existed = type == Libc.S_IFDIR;
            if (existed && options.undoImmutable) {
                clearImmutable(parent.fd, name); // entries in it are about to change
            }
            if (!existed) {
                if (type != 0) {
                    removeNode(parent.fd, name); // a file or symlink: the link itself, never its target
                }
                PosixFs.check(Libc.c().mkdirat(parent.fd, Libc.z(name), 0700), "cannot create directory");
            }
            int fd = PosixFs.openat(parent.fd, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, 0);
            return new Open(fd, node, existed ? new HashSet<>() : null, !existed && parent.fresh);
        } catch (Failure f) {
            throw failed(node, f);
        }
    }

    /** The node's name, checked once more to be exactly one path component, and noted as kept. */
    private byte[] checkedName(Open parent, CatarNode node) throws CatarFormatException {
        byte[] name = node.name;
        boolean bad = name.length == 0
                || name.length > 255
                || (name.length == 1 && name[0] == '.')
                || (name.length == 2 && name[0] == '.' && name[1] == '.');
        for (byte b : name) {
            bad |= b == '/' || b == 0;
        }
        if (bad) {
            throw new CatarFormatException(
                    archive, node.entryOffset, "name \"" + CatarPrinter.escape(name) + "\" is not one path component");
        }
        if (parent.kept != null) {
            parent.kept.add(key(name));
        }
        return name;
    }

    private static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /** Makes a non-directory node under a temporary name, applies its metadata, renames it into place. */
    private void place(Open parent, CatarNode node, CatarReader reader) throws IOException {
        byte[] name = checkedName(parent, node);
        byte[] tmp = temporaryName(name);
        boolean made = false;
        boolean linked = false;
        try {
            int fd = -1;
            try {
                switch (node.kind) {
                    case FILE -> {
                        Reuse reuse = seedTrees.isEmpty() || (!hardlink && !reflink)
                                ? Reuse.WRITTEN
                                : fromSeeds(parent, name, tmp, node, reader.payload());
                        if (reuse == Reuse.KEPT) {
                            return; // the output's own file, already right
                        }
                        made = true;
                        if (reuse == Reuse.WRITTEN) {
                            fd = create(parent.fd, tmp);
                            setFlags(fd, node, node.flags & mask & EARLY_FLAGS);
                            writeFile(fd, reader.payload(), 0, node.payloadSize, 0);
                        }
                        linked = reuse == Reuse.LINKED; // its metadata is the seed's, already what the archive says
                    }
                    case SYMLINK -> {
                        PosixFs.check(
                                Libc.c().symlinkat(Libc.z(node.symlinkTarget), parent.fd, Libc.z(tmp)),
                                "cannot create symlink");
                        made = true;
                    }
                    case FIFO -> {
                        PosixFs.check(
                                Libc.c().mknodat(parent.fd, Libc.z(tmp), 0010000 | 0600, 0), "cannot create FIFO");
                        made = true;
                    }
                    case SOCKET -> {
                        PosixFs.check(
                                Libc.c().mknodat(parent.fd, Libc.z(tmp), 0140000 | 0600, 0),
                                "cannot create socket node");
                        made = true;
                    }
                    case BLOCK_DEVICE, CHAR_DEVICE -> {
                        if (!privileged) {
                            warnOnce("device", "device nodes need root; left out");
                            return;
                        }
                        int type = node.kind == Kind.BLOCK_DEVICE ? 0060000 : 0020000;
                        PosixFs.check(
                                Libc.c().mknodat(parent.fd, Libc.z(tmp), type | 0600, dev(node.major, node.minor)),
                                "cannot create device node");
                        made = true;
                    }
                    default -> throw new IllegalStateException(node.kind.toString());
                }
            } finally {
                Libc.close(fd);
            }
            if (!linked) {
                applyMetadata(new At(parent.fd, tmp), node, parent.fresh);
            }
            int old = PosixFs.typeOf(parent.fd, name);
            if (old == Libc.S_IFDIR) {
                removeNode(parent.fd, name); // rename cannot replace a directory with a file
            } else if (old == Libc.S_IFREG && options.undoImmutable) {
                clearImmutable(parent.fd, name);
            }
            rename(parent.fd, tmp, name);
            made = false;
            if (node.kind == Kind.FILE && !linked && needsFlags(node)) {
                int ffd = openForFlags(parent.fd, name);
                try {
                    applyFlags(ffd, node);
                } finally {
                    Libc.close(ffd);
                }
            }
        } catch (Failure f) {
            throw failed(node, f);
        } finally {
            if (made) {
                Libc.c().unlinkat(parent.fd, Libc.z(tmp), 0);
            }
        }
    }

    private void rename(int dirfd, byte[] from, byte[] to) throws IOException {
        PosixFs.check(Libc.c().renameat(dirfd, Libc.z(from), dirfd, Libc.z(to)), "cannot rename into place");
    }

    private byte[] temporaryName(byte[] name) {
        String suffix = HexFormat.of().toHexDigits(nameCounter++);
        byte[] prefix = {'.', '#'};
        byte[] tail = suffix.getBytes(StandardCharsets.US_ASCII);
        byte[] middle = prefix.length + name.length + tail.length > 255 ? EMPTY : name;
        byte[] out = new byte[prefix.length + middle.length + tail.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(middle, 0, out, prefix.length, middle.length);
        System.arraycopy(tail, 0, out, prefix.length + middle.length, tail.length);
        return out;
    }

    /** Linux's dev_t for a major and minor number (glibc's makedev). */
    static long dev(long major, long minor) {
        return ((major & 0xfffff000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }

    private static int create(int dirfd, byte[] name) throws IOException {
        return PosixFs.openat(dirfd, name, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW, 0600);
    }

    /**
     * Writes the payload from offset {@code at} on: first the {@code pending} bytes already in the
     * buffer, then the rest read from {@code payload}; with hole punching, whole zero blocks are left
     * as holes.
     */
    private void writeFile(int fd, InputStream payload, long at, long size, int pending) throws IOException {
        if (nativeBuffer == null) {
            nativeBuffer = new Memory(BUFFER);
        }
        int n = pending;
        while (at < size) {
            if (n == 0) {
                n = readFully(payload, buffer, (int) Math.min(buffer.length, size - at));
            }
            int runStart = 0;
            for (int i = 0; i < n; i += BLOCK) {
                if (options.punchHoles && n - i >= BLOCK && zeros(buffer, i, BLOCK)) {
                    write(fd, runStart, i, at);
                    runStart = i + BLOCK;
                }
            }
            write(fd, runStart, n, at);
            at += n;
            n = 0;
        }
        PosixFs.check(Libc.c().ftruncate(fd, size), "cannot set the file size"); // a hole at the end
    }

    private static int readFully(InputStream payload, byte[] buf, int want) throws IOException {
        int n = 0;
        while (n < want) {
            int r = payload.read(buf, n, want - n);
            if (r < 0) {
                throw new IOException("payload ended early"); // the reader throws first
            }
            n += r;
        }
        return n;
    }

    /** What {@link #fromSeeds} did with a file. */
    private enum Reuse {
        /** Nothing: write it from the archive (the payload is unread). */
        WRITTEN,
        /** tmp holds the content (cloned, copied, or written after a difference); metadata still to apply. */
        FILLED,
        /** tmp is a hard link to a seed's file with the right metadata. */
        LINKED,
        /** The target itself is the seed's file, with the right content and metadata. */
        KEPT
    }

    private Reuse fromSeeds(Open parent, byte[] name, byte[] tmp, CatarNode node, InputStream payload)
            throws IOException {
        Path candidate = candidate(node);
        if (candidate == null) {
            return Reuse.WRITTEN;
        }
        long size = node.payloadSize;
        try (FileChannel seed = FileChannel.open(candidate, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer theirs = ByteBuffer.allocate(BUFFER);
            long at = 0;
            while (at < size) {
                int n = readFully(payload, buffer, (int) Math.min(buffer.length, size - at));
                theirs.clear().limit(n);
                while (theirs.hasRemaining() && seed.read(theirs, at + theirs.position()) >= 0) {
                    // positional reads until the block is full or the seed ends
                }
                if (theirs.position() != n || !java.util.Arrays.equals(buffer, 0, n, theirs.array(), 0, n)) {
                    // differs here: the equal prefix from the seed, then the rest from the archive
                    int fd = create(parent.fd, tmp);
                    try (FileChannel out = reopen(fd)) {
                        long copied = 0;
                        while (copied < at) {
                            copied += seed.transferTo(copied, at - copied, out);
                        }
                        writeFile(fd, payload, at, size, n);
                    } finally {
                        Libc.close(fd);
                    }
                    return Reuse.FILLED;
                }
                at += n;
            }
        }
        Path target = rootReal.resolve(relative(node));
        if (hardlink && sameMetadata(candidate, parent, tmp, node)) {
            hardlinked++;
            if (candidate.equals(target)) {
                return Reuse.KEPT;
            }
            byte[] from = Libc.z(candidate.toString().getBytes(StandardCharsets.UTF_8));
            PosixFs.check(
                    Libc.c().linkat(Libc.AT_FDCWD, from, parent.fd, Libc.z(tmp), 0), "cannot link to " + candidate);
            BasicFileAttributes now = attributes(target);
            if (now != null && Files.isSameFile(candidate, target)) { // already that file under this name
                Libc.c().unlinkat(parent.fd, Libc.z(tmp), 0);
                return Reuse.KEPT;
            }
            return Reuse.LINKED;
        }
        int fd = create(parent.fd, tmp);
        try {
            int src = PosixFs.openat(
                    Libc.AT_FDCWD,
                    candidate.toString().getBytes(StandardCharsets.UTF_8),
                    Libc.O_RDONLY | Libc.O_NOFOLLOW,
                    0);
            try {
                if (!(reflink && PosixFs.cloneFile(fd, src))) {
                    try (FileChannel in =
                                    FileChannel.open(candidate, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                            FileChannel out = reopen(fd)) {
                        long copied = 0;
                        while (copied < size) {
                            long k = in.transferTo(copied, size - copied, out);
                            if (k <= 0) {
                                throw new IOException(candidate + ": changed while being copied");
                            }
                            copied += k;
                        }
                    }
                }
            } finally {
                Libc.close(src);
            }
        } finally {
            Libc.close(fd);
        }
        cloned++;
        return Reuse.FILLED;
    }

    /** A channel on the file open as {@code fd} (through /proc: the JDK cannot wrap a descriptor). */
    private static FileChannel reopen(int fd) throws IOException {
        return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.WRITE);
    }

    /** The node's path relative to the root, or null where it is not UTF-8 (no seed can be looked up then). */
    private static String relative(CatarNode node) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(node.path))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** The regular file of the node's size at its path in the first seed tree that has one, or null. */
    private Path candidate(CatarNode node) throws IOException {
        String rel = relative(node);
        if (rel == null) {
            return null;
        }
        for (Path tree : seedTrees) {
            Path p;
            try {
                p = tree.resolve(rel);
            } catch (InvalidPathException e) {
                return null;
            }
            BasicFileAttributes a = attributes(p);
            if (a == null || !a.isRegularFile() || a.size() != node.payloadSize) {
                continue;
            }
            // never read (or link) through a symlink out of the seed tree
            Path real = p.toRealPath();
            if (real.startsWith(tree.toRealPath())) {
                return real;
            }
        }
        return null;
    }

    /**
     * Whether the seed's file already has the metadata this extract would give the file: found by
     * giving it to an empty probe file and comparing. What is not compared (ACLs, capabilities,
     * SELinux labels, chattr attributes) means no.
     */
    private boolean sameMetadata(Path seedFile, Open parent, byte[] tmp, CatarNode node) throws IOException {
        if (node.hasAcl() || node.fcaps != null || node.selinux != null || node.flags != 0) {
            return false;
        }
        byte[] probe = temporaryName(new byte[0]);
        Libc.close(create(parent.fd, probe));
        try {
            applyMetadata(new At(parent.fd, probe), node, parent.fresh);
            Path probePath = Path.of("/proc/self/fd/" + parent.fd + "/" + new String(probe, StandardCharsets.US_ASCII));
            String what = "unix:mode,uid,gid,lastModifiedTime";
            Map<String, Object> want = Files.readAttributes(probePath, what, LinkOption.NOFOLLOW_LINKS);
            Map<String, Object> have = Files.readAttributes(seedFile, what, LinkOption.NOFOLLOW_LINKS);
            return want.equals(have) && userXattrs(probePath).equals(userXattrs(seedFile));
        } finally {
            Libc.c().unlinkat(parent.fd, Libc.z(probe), 0);
        }
    }

    private static Map<String, ByteBuffer> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        Map<String, ByteBuffer> all = new HashMap<>();
        for (String n : view.list()) {
            ByteBuffer b = ByteBuffer.allocate(view.size(n));
            view.read(n, b);
            all.put(n, b.flip());
        }
        return all;
    }

    /** Writes {@code buffer[from, to)} at {@code at + from} of the file. */
    private void write(int fd, int from, int to, long at) throws IOException {
        if (to > from) {
            nativeBuffer.write(0, buffer, from, to - from);
            PosixFs.pwriteFully(fd, nativeBuffer, to - from, at + from);
        }
    }

    private static boolean zeros(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Owner, mode, ACLs, xattrs, SELinux label, capabilities and mtime, in that order (a chown clears
     * setuid bits and capabilities, so what it would clear comes after it). A {@code fresh} node
     * (made by this run in a directory this run made) has no ACL, xattr or capability to take away.
     */
    private void applyMetadata(At at, CatarNode node, boolean fresh) throws IOException {
        long w = mask;
        boolean symlink = node.kind == Kind.SYMLINK;
        try {
            if (privileged && (w & (FeatureFlags.UIDS | FeatureFlags.WITH_USER_NAMES)) != 0) {
                long uid = owner(node, true);
                long gid = owner(node, false);
                PosixFs.check(
                        at.isSelf()
                                ? Libc.c().fchown(at.dirfd, (int) uid, (int) gid)
                                : Libc.c()
                                        .fchownat(
                                                at.dirfd,
                                                Libc.z(at.name),
                                                (int) uid,
                                                (int) gid,
                                                Libc.AT_SYMLINK_NOFOLLOW),
                        "cannot change owner");
            }
            if (!symlink) {
                applyMode(at, node, w);
            }
            if ((w & FeatureFlags.WITH_ACL) != 0 && !symlink && !(fresh && !node.hasAcl())) {
                applyAcls(at, node);
            }
            if ((w & FeatureFlags.WITH_XATTRS) != 0 && !symlink && !(fresh && node.xattrs.isEmpty())) {
                applyXattrs(at, node, fresh);
            }
            if ((w & FeatureFlags.WITH_SELINUX) != 0) {
                byte[] label = node.selinux == null ? null : Libc.z(node.selinux);
                optional("selinux", "SELinux labels", node, () -> setOrRemove(at, "security.selinux", label));
            }
            if ((w & FeatureFlags.WITH_FCAPS) != 0 && node.kind == Kind.FILE && !(fresh && node.fcaps == null)) {
                optional("fcaps", "file capabilities", node, () -> setOrRemove(at, "security.capability", node.fcaps));
            }
            if ((w & FeatureFlags.TIME) != 0) {
                long[] times = {0, PosixFs.UTIME_OMIT, node.mtime / 1_000_000_000L, node.mtime % 1_000_000_000L};
                if (node.mtime < 0) { // unsigned nanoseconds past 2262
                    times[2] = Long.divideUnsigned(node.mtime, 1_000_000_000L);
                    times[3] = Long.remainderUnsigned(node.mtime, 1_000_000_000L);
                }
                PosixFs.check(
                        at.isSelf()
                                ? Libc.c().futimens(at.dirfd, times)
                                : Libc.c().utimensat(at.dirfd, Libc.z(at.name), times, Libc.AT_SYMLINK_NOFOLLOW),
                        "cannot set the modification time");
            }
        } catch (Failure f) {
            throw failed(node, f);
        }
    }

    private void applyMode(At at, CatarNode node, long w) throws IOException {
        int stored = (int) node.mode & 07777;
        int want;
        if ((w & (FeatureFlags.WITH_PERMISSIONS | FeatureFlags.WITH_ACL)) != 0) {
            want = stored;
        } else {
            // as casync: a new node keeps its creation mode, (0600 | stored) & ~umask (directories
            // 0700); under read-only the write bits go if the stored mode has none
            int now = currentMode(at);
            want = node.kind == Kind.DIRECTORY ? now : (0600 | stored) & ~umask;
            if ((w & FeatureFlags.WITH_READ_ONLY) != 0 && (stored & 0222) == 0) {
                want &= ~0222;
            }
            if (want == now) {
                return;
            }
        }
        PosixFs.check(
                at.isSelf() ? Libc.c().fchmod(at.dirfd, want) : Libc.c().fchmodat(at.dirfd, Libc.z(at.name), want, 0),
                "cannot change mode");
    }

    private static int currentMode(At at) throws IOException {
        return (at.isSelf()
                        ? PosixFs.modeOf(at.dirfd, EMPTY, Libc.AT_EMPTY_PATH)
                        : PosixFs.modeOf(at.dirfd, at.name, Libc.AT_SYMLINK_NOFOLLOW))
                & 07777;
    }

    /**
     * casync writes an access ACL on every node (built from the mode and the stored entries), so an
     * ACL the node had before is gone, and a default ACL on directories (removed where none is stored).
     */
    private void applyAcls(At at, CatarNode node) throws IOException {
        long mode = node.mode;
        boolean named = !node.aclUsers.isEmpty() || !node.aclGroups.isEmpty() || node.aclGroupObj >= 0;
        long group = named && node.aclGroupObj >= 0 ? node.aclGroupObj : (mode >> 3) & 7;
        long aclMask = named ? (mode >> 3) & 7 : -1;
        PosixAcl access = PosixAcl.of(
                (mode >> 6) & 7,
                group,
                mode & 7,
                aclMask,
                ids(node, node.aclUsers, true),
                ids(node, node.aclGroups, false));
        byte[] path = at.xattrPath();
        optional("acl", "ACLs", node, () -> {
            PosixFs.setXattr(path, bytes("system.posix_acl_access"), access.encode());
            if (node.kind == Kind.DIRECTORY) {
                CatarNode.AclDefault d = node.aclDefault;
                if (d == null) {
                    PosixFs.removeXattr(path, bytes("system.posix_acl_default"));
                } else {
                    PosixAcl def = PosixAcl.of(
                            d.user(),
                            d.group(),
                            d.other(),
                            d.mask() == -1 ? -1 : d.mask(),
                            ids(node, node.aclDefaultUsers, true),
                            ids(node, node.aclDefaultGroups, false));
                    PosixFs.setXattr(path, bytes("system.posix_acl_default"), def.encode());
                }
            }
        });
    }

    /** Named ACL entries as {id, permissions}: a stored name resolves first, as for owners. */
    private List<long[]> ids(CatarNode node, List<CatarNode.AclEntry> entries, boolean user) throws IOException {
        List<long[]> out = new ArrayList<>(entries.size());
        for (CatarNode.AclEntry e : entries) {
            long id = -1;
            if (e.name() != null && (mask & FeatureFlags.WITH_USER_NAMES) != 0) {
                id = user ? PosixFs.uidOf(e.name()) : PosixFs.gidOf(e.name());
                if (id < 0 && (mask & FeatureFlags.UIDS) == 0) {
                    throw unknown(node, user ? "user" : "group", e.name());
                }
            }
            out.add(new long[] {id >= 0 ? id : shift(node, e.id()), e.permissions()});
        }
        return out;
    }

    /** Sets every stored xattr, and removes {@code user.*} and {@code trusted.*} ones the archive does not have. */
    private void applyXattrs(At at, CatarNode node, boolean fresh) throws IOException {
        byte[] path = at.xattrPath();
        Set<String> stored = new HashSet<>();
        for (CatarNode.Xattr x : node.xattrs) {
            stored.add(key(x.name()));
        }
        for (byte[] name : fresh ? List.<byte[]>of() : Libc.xattrNames(-1, path)) {
            String k = key(name);
            if ((k.startsWith("user.") || k.startsWith("trusted.")) && !stored.contains(k)) {
                optional("xattr-" + k.substring(0, k.indexOf('.')), "extended attributes", node, () -> {
                    PosixFs.removeXattr(path, name);
                });
            }
        }
        for (CatarNode.Xattr x : node.xattrs) {
            String k = key(x.name());
            String kind =
                    k.startsWith("trusted.") ? "xattr-trusted" : k.startsWith("security.") ? "xattr-security" : "xattr";
            optional(kind, "extended attributes (" + k.substring(0, Math.max(0, k.indexOf('.'))) + ".*)", node, () -> {
                PosixFs.setXattr(path, x.name(), x.value());
            });
        }
    }

    private static void setOrRemove(At at, String name, byte[] value) throws IOException {
        if (value == null) {
            PosixFs.removeXattr(at.xattrPath(), bytes(name));
        } else {
            PosixFs.setXattr(at.xattrPath(), bytes(name), value);
        }
    }

    /** The owner (or group) to set: a stored name through NSS first, else the number, shifted. */
    private long owner(CatarNode node, boolean user) throws IOException {
        byte[] name = user ? node.user : node.group;
        if (name != null && (mask & FeatureFlags.WITH_USER_NAMES) != 0) {
            long id = user ? PosixFs.uidOf(name) : PosixFs.gidOf(name);
            if (id >= 0) {
                return id;
            }
            if ((mask & FeatureFlags.UIDS) == 0) {
                throw unknown(node, user ? "user" : "group", name);
            }
        }
        return shift(node, user ? node.uid : node.gid);
    }

    private long shift(CatarNode node, long id) throws IOException {
        if (Long.compareUnsigned(id, options.uidRange) >= 0) {
            throw new IOException(archive + ": id " + Long.toUnsignedString(id) + " of " + CatarPrinter.path(node)
                    + " (entry at offset " + node.entryOffset + ") is outside --uid-range "
                    + Long.toUnsignedString(options.uidRange));
        }
        return options.uidShift + id;
    }

    /** chattr flags, FAT attributes and the quota project id, once the node is under its final name. */
    private void applyFlags(int fd, CatarNode node) throws IOException {
        long w = mask;
        if ((w & FeatureFlags.CHATTR) != 0) {
            setFlags(fd, node, node.flags & w & FeatureFlags.CHATTR);
        }
        long fat = node.flags & w & FeatureFlags.FAT_ATTRS;
        if (fat != 0) {
            optional("fat", "FAT attributes (they need a FAT file system)", node, () -> {
                PosixFs.setFatAttributes(fd, FeatureFlags.toFatAttrs(fat));
            });
        }
        if ((node.flags & w & (FeatureFlags.WITH_SUBVOLUME | FeatureFlags.WITH_SUBVOLUME_RO)) != 0) {
            warnOnce(
                    "subvolume",
                    "btrfs subvolumes are made as plain directories (first: " + CatarPrinter.path(node) + ")");
        }
        if ((w & FeatureFlags.WITH_QUOTA_PROJID) != 0 && node.quotaProjectId != 0) {
            optional("quota", "quota project ids", node, () -> PosixFs.setProjectId(fd, node.quotaProjectId));
        }
    }

    private boolean needsFlags(CatarNode node) {
        return (node.flags & mask) != 0 || ((mask & FeatureFlags.WITH_QUOTA_PROJID) != 0 && node.quotaProjectId != 0);
    }

    /** Sets the chattr flags {@code bits} (feature bits) on top of what the node has; no bits, no call. */
    private void setFlags(int fd, CatarNode node, long bits) throws IOException {
        if (bits == 0) {
            return;
        }
        optional("chattr", "chattr attributes", node, () -> {
            int now = PosixFs.getFlags(fd);
            int want = now | FeatureFlags.toChattr(bits);
            if (want != now) {
                PosixFs.setFlags(fd, want);
            }
        });
    }

    private int openForFlags(int dirfd, byte[] name) throws IOException {
        return PosixFs.openat(dirfd, name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK, 0);
    }

    private interface Step {
        void run() throws IOException;
    }

    /**
     * Runs a metadata step the file system or a non-root user may not support: that failure is a
     * warning (once per kind), anything else an error.
     */
    private void optional(String kind, String what, CatarNode node, Step step) throws IOException {
        try {
            step.run();
        } catch (Failure f) {
            if (f.errno == Libc.ENOTSUP
                    || f.errno == Libc.EPERM
                    || f.errno == 13 // EACCES
                    || f.errno == Libc.ENOTTY
                    || f.errno == Libc.EINVAL
                    || f.errno == Libc.ENOSYS) {
                warnOnce(kind, what + " not restored (first on " + CatarPrinter.path(node) + "): " + f.getMessage());
            } else {
                throw f;
            }
        }
    }

    private IOException unknown(CatarNode node, String what, byte[] name) {
        return new IOException(archive + ": " + what + " \"" + CatarPrinter.escape(name) + "\" of "
                + CatarPrinter.path(node) + " (entry at offset " + node.entryOffset + ") is unknown here");
    }

    private IOException failed(CatarNode node, Failure f) {
        return new IOException(archive + ": " + CatarPrinter.path(node) + " (entry at offset " + node.entryOffset
                + "): " + f.getMessage());
    }

    /** Removes what a directory that existed before holds and the archive does not. */
    private void removeOthers(Open open) throws IOException {
        for (byte[] name : Libc.names(open.fd)) {
            if (!open.kept.contains(key(name))) {
                try {
                    removeNode(open.fd, name);
                } catch (Failure f) {
                    throw new IOException(archive + ": cannot remove " + CatarPrinter.path(open.node)
                            + (open.node.isRoot() ? "" : "/") + CatarPrinter.escape(name) + ": " + f.getMessage());
                }
            }
        }
    }

    /** Removes {@code name} in {@code dirfd} and, if it is a real directory, what it holds; links are never followed. */
    private void removeNode(int dirfd, byte[] name) throws IOException {
        int type = PosixFs.typeOf(dirfd, name);
        if (type == 0) {
            return;
        }
        if (options.undoImmutable && (type == Libc.S_IFDIR || type == Libc.S_IFREG)) {
            clearImmutable(dirfd, name);
        }
        if (type == Libc.S_IFDIR) {
            int fd = PosixFs.openat(dirfd, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW, 0);
            try {
                for (byte[] child : Libc.names(fd)) {
                    removeNode(fd, child);
                }
            } finally {
                Libc.close(fd);
            }
            PosixFs.check(Libc.c().unlinkat(dirfd, Libc.z(name), Libc.AT_REMOVEDIR), "cannot remove");
        } else {
            PosixFs.check(Libc.c().unlinkat(dirfd, Libc.z(name), 0), "cannot remove");
        }
    }

    /** casync's --undo-immutable: clears the immutable and append-only flags of what is to be replaced or removed. */
    private static void clearImmutable(int dirfd, byte[] name) throws IOException {
        int fd;
        try {
            fd = PosixFs.openat(dirfd, name, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK, 0);
        } catch (Failure f) {
            return; // the removal reports what is wrong
        }
        try {
            int flags = PosixFs.getFlags(fd);
            int cleared = flags & ~(PosixFs.FS_IMMUTABLE_FL | PosixFs.FS_APPEND_FL);
            if (cleared != flags) {
                PosixFs.setFlags(fd, cleared);
            }
        } catch (Failure f) {
            // a file system without flags has nothing to clear
        } finally {
            Libc.close(fd);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void warnOnce(String kind, String message) {
        if (warned.add(kind)) {
            warnings.accept(message);
        }
    }

    /** The second field of this process's status line {@code key} (Linux /proc/self/status) in {@code radix}; -1 if unknown. */
    private static int status(String key, int radix) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] f = line.split("\\s+");
                    return Integer.parseInt(f[key.equals("Uid:") ? 2 : 1], radix);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
