package dev.jcasync.archive.read;

import dev.jcasync.archive.read.CatarNode.Kind;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Rebuilds the tree a {@link CatarReader} reads inside a destination directory (docs/catar.md
 * 10.5), as casync extracts by default: the root's metadata goes to the destination itself;
 * directories are made under their final name (mode 0700 until their metadata is applied, after
 * their children); every other node is made under a temporary name {@code .#NAME<hex>} in its
 * directory, gets its metadata there and is then renamed into place, so a destination never holds a
 * half-written file. In a destination that already existed, what the archive does not contain is
 * removed and a node of another type is replaced.
 *
 * <p>Safety: names come from the reader, which refuses empty names, {@code .}, {@code ..}, and
 * names with '/' or NUL; each node is created as a single path component inside a directory this
 * run made or checked (with links not followed) to be a real directory, so nothing is written
 * outside the destination and no symlink inside it is ever followed.
 *
 * <p>Restored: contents, types (directories, files, symlinks, FIFOs, sockets, devices as root),
 * owners (as root; names before numbers), modes as the feature flags say, mtimes to the
 * nanosecond, {@code user.*} xattrs, chattr attributes (through the chattr program). Not restored
 * (a warning names each kind once): ACLs, file capabilities, SELinux labels, {@code trusted.*}
 * xattrs, FAT attributes, quota project ids: Java has no interface to them.
 */
public final class DirectoryExtractor {
    private static final int BLOCK = 4096;

    private final Path destination;
    private final Consumer<String> warnings;
    private final boolean privileged;
    private final int umask;
    private final Set<String> warned = new HashSet<>();
    private final SecureRandom random = new SecureRandom();
    private final UserPrincipalLookupService lookup;
    private String archive = "archive";
    /** Trees whose unchanged files are reused ({@link #reuseFrom}); empty: every file is written. */
    private List<Path> seedTrees = List.of();

    private boolean hardlink;
    private boolean reflink;
    private Path rootReal;
    private long hardlinked;
    private long cloned;

    /** A directory being filled: where it is, and, if it existed before, the names the archive has. */
    private record Open(Path path, CatarNode node, Set<String> kept) {}

    /**
     * Extracts into {@code destination} (created if missing; a symlink there is followed, as the
     * destination is the caller's choice); {@code warnings} receives one line per kind of metadata
     * that could not be restored.
     */
    public DirectoryExtractor(Path destination, Consumer<String> warnings) {
        this.destination = destination;
        this.warnings = warnings;
        this.privileged = status("Uid:", 10) == 0;
        int mask = status("Umask:", 8);
        this.umask = mask < 0 ? 022 : mask;
        this.lookup = destination.getFileSystem().getUserPrincipalLookupService();
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
        this.archive = archive;
        Deque<Open> stack = new ArrayDeque<>();
        for (CatarEvent e = reader.next(); e != null; e = reader.next()) {
            CatarNode node = e.node();
            switch (e.type()) {
                case ENTER -> {
                    if (node.isRoot()) {
                        boolean existed = Files.exists(destination);
                        if (!existed) {
                            Files.createDirectories(destination); // as casync: 0777 & ~umask
                        }
                        Path root = destination.toRealPath();
                        rootReal = root;
                        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
                            throw new IOException(destination + ": not a directory");
                        }
                        stack.push(new Open(root, node, existed ? new HashSet<>() : null));
                    } else {
                        Open parent = stack.peek();
                        Path dir = child(parent, node);
                        boolean existed = false;
                        BasicFileAttributes old = attributes(dir);
                        if (old != null && old.isDirectory()) {
                            existed = true;
                        } else {
                            if (old != null) {
                                Files.delete(dir); // a file or symlink: the link itself, never its target
                            }
                            Files.createDirectory(
                                    dir,
                                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                        }
                        stack.push(new Open(dir, node, existed ? new HashSet<>() : null));
                    }
                }
                case LEAVE -> {
                    Open open = stack.pop();
                    if (open.kept != null) {
                        removeOthers(open);
                    }
                    applyMetadata(open.path, node);
                    applyAttributes(open.path, node);
                }
                case NODE -> place(stack.peek(), node, reader);
            }
        }
    }

    /** The path of {@code node} in {@code parent}, a single checked component. */
    private Path child(Open parent, CatarNode node) throws IOException {
        String name = name(node);
        Path p;
        try {
            p = parent.path.resolve(name);
        } catch (InvalidPathException e) {
            throw new CatarFormatException(
                    archive,
                    node.entryOffset,
                    "name \"" + CatarPrinter.escape(node.name) + "\" cannot be a file name here");
        }
        if (!parent.path.equals(p.getParent()) || !name.equals(p.getFileName().toString())) {
            throw new CatarFormatException(
                    archive,
                    node.entryOffset,
                    "name \"" + CatarPrinter.escape(node.name) + "\" is not one path component");
        }
        if (parent.kept != null) {
            parent.kept.add(name);
        }
        return p;
    }

    private String name(CatarNode node) throws CatarFormatException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(node.name))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CatarFormatException(
                    archive,
                    node.entryOffset,
                    "name \"" + CatarPrinter.escape(node.name) + "\" is not UTF-8; jcasync cannot create it");
        }
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Makes a non-directory node under a temporary name, applies its metadata, renames it into place. */
    private void place(Open parent, CatarNode node, CatarReader reader) throws IOException {
        Path target = child(parent, node);
        String base = target.getFileName().toString();
        String suffix = HexFormat.of().formatHex(bytes8());
        String tmpName = ".#" + base + suffix;
        if (tmpName.getBytes(StandardCharsets.UTF_8).length > 255) {
            tmpName = ".#" + suffix;
        }
        Path tmp = parent.path.resolve(tmpName);
        boolean made = false;
        boolean linked = false;
        try {
            switch (node.kind) {
                case FILE -> {
                    made = true;
                    Reuse reuse = seedTrees.isEmpty() || (!hardlink && !reflink)
                            ? Reuse.WRITTEN
                            : fromSeeds(target, tmp, node, reader.payload());
                    if (reuse == Reuse.KEPT) {
                        made = false;
                        return; // the output's own file, already right
                    }
                    if (reuse == Reuse.WRITTEN) {
                        writeFile(tmp, reader.payload(), node.payloadSize);
                    }
                    linked = reuse == Reuse.LINKED; // its metadata is the seed's, already what the archive says
                }
                case SYMLINK -> {
                    String to = new String(node.symlinkTarget, StandardCharsets.UTF_8);
                    Path link = null;
                    try {
                        link = Path.of(to);
                    } catch (InvalidPathException e) {
                        // made by ln below
                    }
                    if (link != null
                            && link.toString().equals(to)
                            && java.util.Arrays.equals(to.getBytes(StandardCharsets.UTF_8), node.symlinkTarget)) {
                        Files.createSymbolicLink(tmp, link);
                    } else {
                        run(node, "ln", "-s", "--", to, tmp.toString());
                    }
                    made = true;
                }
                case FIFO -> {
                    run(node, "mkfifo", "-m", "0600", "--", tmp.toString());
                    made = true;
                }
                case SOCKET -> {
                    try (ServerSocketChannel s = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
                        s.bind(UnixDomainSocketAddress.of(tmp));
                    } catch (IOException | RuntimeException e) {
                        warnOnce("socket", "sockets could not be made (" + e.getMessage() + "); left out");
                        return;
                    }
                    made = true;
                }
                case BLOCK_DEVICE, CHAR_DEVICE -> {
                    if (!privileged) {
                        warnOnce("device", "device nodes need root; left out");
                        return;
                    }
                    run(
                            node,
                            "mknod",
                            "-m",
                            "0600",
                            "--",
                            tmp.toString(),
                            node.kind == Kind.BLOCK_DEVICE ? "b" : "c",
                            Long.toString(node.major),
                            Long.toString(node.minor));
                    made = true;
                }
                default -> throw new IllegalStateException(node.kind.toString());
            }
            if (!linked) {
                applyMetadata(tmp, node);
            }
            BasicFileAttributes old = attributes(target);
            if (old != null && old.isDirectory()) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            made = false;
            applyAttributes(target, node);
        } finally {
            if (made) {
                Files.deleteIfExists(tmp);
            }
        }
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

    private Reuse fromSeeds(Path target, Path tmp, CatarNode node, InputStream payload) throws IOException {
        Path candidate = candidate(target, node.payloadSize);
        if (candidate == null) {
            return Reuse.WRITTEN;
        }
        try (FileChannel seed = FileChannel.open(candidate, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 17];
            ByteBuffer theirs = ByteBuffer.allocate(buf.length);
            long at = 0;
            long size = node.payloadSize;
            while (at < size) {
                int n = readFully(payload, buf, (int) Math.min(buf.length, size - at));
                theirs.clear().limit(n);
                while (theirs.hasRemaining() && seed.read(theirs, at + theirs.position()) >= 0) {
                    // positional reads until the block is full or the seed ends
                }
                if (theirs.position() != n || !Arrays.equals(buf, 0, n, theirs.array(), 0, n)) {
                    // differs here: the equal prefix from the seed, then the rest from the archive
                    try (FileChannel out =
                            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        long copied = 0;
                        while (copied < at) {
                            copied += seed.transferTo(copied, at - copied, out);
                        }
                        writeRest(out, payload, buf, n, at, size);
                    }
                    return Reuse.FILLED;
                }
                at += n;
            }
        }
        if (hardlink && sameMetadata(candidate, tmp, node)) {
            if (candidate.equals(target)) {
                hardlinked++;
                return Reuse.KEPT;
            }
            Files.createLink(tmp, candidate);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(tmp, target)) {
                // already that file under this name: rename would do nothing and leave both names
                Files.delete(tmp);
                hardlinked++;
                return Reuse.KEPT;
            }
            hardlinked++;
            return Reuse.LINKED;
        }
        Files.createFile(tmp);
        if (!(reflink && Reflink.cloneInto(candidate, tmp))) {
            try (FileChannel in = FileChannel.open(candidate, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                    FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                long copied = 0;
                while (copied < node.payloadSize) {
                    long k = in.transferTo(copied, node.payloadSize - copied, out);
                    if (k <= 0) {
                        throw new IOException(candidate + ": changed while being copied");
                    }
                    copied += k;
                }
            }
        }
        cloned++;
        return Reuse.FILLED;
    }

    /** The regular file of {@code size} bytes at the target's path in the first seed tree that has one, or null. */
    private Path candidate(Path target, long size) throws IOException {
        Path rel = rootReal.relativize(target);
        for (Path tree : seedTrees) {
            Path p = tree.resolve(rel);
            BasicFileAttributes a = attributes(p);
            if (a == null || !a.isRegularFile() || a.size() != size) {
                continue;
            }
            // never read (or link) through a symlink out of the seed tree
            if (p.toRealPath(LinkOption.NOFOLLOW_LINKS).startsWith(tree.toRealPath())) {
                return p.toRealPath(LinkOption.NOFOLLOW_LINKS);
            }
        }
        return null;
    }

    /**
     * Whether the seed's file already has the metadata this extract would give the file: found by
     * giving it to an empty probe file and comparing. Anything Java cannot restore or compare (ACLs,
     * capabilities, SELinux labels, chattr attributes) means no.
     */
    private boolean sameMetadata(Path seedFile, Path tmp, CatarNode node) throws IOException {
        if (node.hasAcl() || node.fcaps != null || node.selinux != null || node.flags != 0) {
            return false;
        }
        Path probe = tmp.resolveSibling(".#probe" + HexFormat.of().formatHex(bytes8()));
        Files.createFile(probe);
        try {
            applyMetadata(probe, node);
            Map<String, Object> want = Files.readAttributes(probe, "unix:mode,uid,gid,lastModifiedTime");
            Map<String, Object> have =
                    Files.readAttributes(seedFile, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            return want.equals(have) && userXattrs(probe).equals(userXattrs(seedFile));
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static Map<String, ByteBuffer> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        Map<String, ByteBuffer> all = new HashMap<>();
        for (String name : view.list()) {
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            all.put(name, b.flip());
        }
        return all;
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

    private byte[] bytes8() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }

    /** Writes a payload; runs of zeros of a whole 4 KiB block are left as holes. */
    private static void writeFile(Path tmp, InputStream payload, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeRest(ch, payload, new byte[1 << 17], 0, 0, size);
        }
    }

    /**
     * Writes the payload from offset {@code at}: first the {@code pending} bytes already in {@code
     * buf}, then the rest read from {@code payload}, leaving whole zero blocks as holes.
     */
    private static void writeRest(FileChannel ch, InputStream payload, byte[] buf, int pending, long at, long size)
            throws IOException {
        boolean holeAtEnd = false;
        int n = pending;
        while (true) {
            if (n == 0 && at < size) {
                n = readFully(payload, buf, (int) Math.min(buf.length, size - at));
            }
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i += BLOCK) {
                int len = Math.min(BLOCK, n - i);
                if (len == BLOCK && zeros(buf, i, len)) {
                    holeAtEnd = true;
                    continue;
                }
                holeAtEnd = false;
                ByteBuffer bb = ByteBuffer.wrap(buf, i, len);
                long pos = at + i;
                while (bb.hasRemaining()) {
                    pos += ch.write(bb, pos);
                }
            }
            at += n;
            n = 0;
        }
        if (holeAtEnd) {
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
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

    private void run(CatarNode node, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(archive + ": cannot create " + CatarPrinter.escape(node.path) + " (entry at offset "
                    + node.entryOffset + "): " + command[0] + ": " + out.replace('\n', ' '));
        }
    }

    /** Owner, mode, xattrs and mtime, in that order (a chown clears setuid bits, so chmod comes after it). */
    private void applyMetadata(Path p, CatarNode node) throws IOException {
        long w = node.features;
        boolean symlink = node.kind == Kind.SYMLINK;
        if (privileged && (w & (FeatureFlags.UIDS | FeatureFlags.WITH_USER_NAMES)) != 0) {
            PosixFileAttributeView view =
                    Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            boolean numeric = (w & FeatureFlags.UIDS) != 0;
            if (node.user != null && setOwnerByName(view, node.user, true)) {
                // done by name
            } else if (node.user != null && !numeric) {
                throw unknown(node, "user", node.user);
            } else {
                Files.setAttribute(p, "unix:uid", (int) node.uid, LinkOption.NOFOLLOW_LINKS);
            }
            if (node.group != null && setOwnerByName(view, node.group, false)) {
                // done by name
            } else if (node.group != null && !numeric) {
                throw unknown(node, "group", node.group);
            } else {
                Files.setAttribute(p, "unix:gid", (int) node.gid, LinkOption.NOFOLLOW_LINKS);
            }
        }
        if (!symlink) {
            int stored = (int) node.mode & 07777;
            if ((w & (FeatureFlags.WITH_PERMISSIONS | FeatureFlags.WITH_ACL)) != 0) {
                Files.setAttribute(p, "unix:mode", stored);
            } else {
                // as casync: a new node keeps its creation mode, (0600 | stored) & ~umask (directories
                // 0700); under read-only the write bits go if the stored mode has none
                int now = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
                int want = node.kind == Kind.DIRECTORY ? now : (0600 | stored) & ~umask;
                if ((w & FeatureFlags.WITH_READ_ONLY) != 0 && (stored & 0222) == 0) {
                    want &= ~0222;
                }
                if (want != now) {
                    Files.setAttribute(p, "unix:mode", want);
                }
            }
        }
        if (!node.xattrs.isEmpty()) {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            for (CatarNode.Xattr x : node.xattrs) {
                String name = new String(x.name(), StandardCharsets.UTF_8);
                if (name.startsWith("user.")
                        && !symlink
                        && java.util.Arrays.equals(name.getBytes(StandardCharsets.UTF_8), x.name())) {
                    view.write(name.substring(5), ByteBuffer.wrap(x.value()));
                } else {
                    warnOnce(
                            "xattr",
                            "extended attributes other than user.* are not restored (first: "
                                    + CatarPrinter.escape(x.name()) + " on " + CatarPrinter.path(node) + ")");
                }
            }
        }
        if (node.hasAcl()) {
            warnOnce("acl", "ACLs are not restored (first on " + CatarPrinter.path(node) + "); the mode bits are");
        }
        if (node.fcaps != null) {
            warnOnce("fcaps", "file capabilities are not restored (first on " + CatarPrinter.path(node) + ")");
        }
        if (node.selinux != null) {
            warnOnce("selinux", "SELinux labels are not restored (first on " + CatarPrinter.path(node) + ")");
        }
        if ((node.flags & ~FeatureFlags.CHATTR) != 0) {
            warnOnce(
                    "flags",
                    "FAT attributes and subvolumes are not restored (first on " + CatarPrinter.path(node) + ")");
        }
        if (node.quotaProjectId != 0) {
            warnOnce("quota", "quota project ids are not restored (first on " + CatarPrinter.path(node) + ")");
        }
        if ((w & FeatureFlags.TIME) != 0) {
            FileTime t = FileTime.from(Instant.ofEpochSecond(
                    Long.divideUnsigned(node.mtime, 1_000_000_000L),
                    Long.remainderUnsigned(node.mtime, 1_000_000_000L)));
            if (node.kind == Kind.FILE || node.kind == Kind.DIRECTORY) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(t, null, null);
            } else {
                // Java 17 sets times through an open descriptor: opening a FIFO would block, a device
                // would be opened, a symlink cannot be; touch -h sets them by path, to the nanosecond
                run(
                        node,
                        "touch",
                        "-h",
                        "-m",
                        "-c",
                        "-d",
                        "@" + Long.divideUnsigned(node.mtime, 1_000_000_000L) + "."
                                + String.format("%09d", Long.remainderUnsigned(node.mtime, 1_000_000_000L)),
                        "--",
                        p.toString());
            }
        }
    }

    private static final long[] CHATTR_BITS = {
        FeatureFlags.WITH_FLAG_APPEND,
        FeatureFlags.WITH_FLAG_NOATIME,
        FeatureFlags.WITH_FLAG_COMPR,
        FeatureFlags.WITH_FLAG_NOCOW,
        FeatureFlags.WITH_FLAG_NODUMP,
        FeatureFlags.WITH_FLAG_DIRSYNC,
        FeatureFlags.WITH_FLAG_IMMUTABLE,
        FeatureFlags.WITH_FLAG_SYNC,
        FeatureFlags.WITH_FLAG_NOCOMP,
        FeatureFlags.WITH_FLAG_PROJINHERIT
    };
    private static final String CHATTR_LETTERS = "aAcCdDiSmP";

    /**
     * chattr attributes (regular files and directories), once the node is in place, as casync does;
     * through the chattr program (Java has no ioctl), and a warning if that fails.
     */
    private void applyAttributes(Path p, CatarNode node) {
        long bits = node.flags & FeatureFlags.CHATTR;
        if (bits == 0 || (node.kind != Kind.FILE && node.kind != Kind.DIRECTORY)) {
            return;
        }
        StringBuilder letters = new StringBuilder("+");
        for (int i = 0; i < CHATTR_BITS.length; i++) {
            if ((bits & CHATTR_BITS[i]) != 0) {
                letters.append(CHATTR_LETTERS.charAt(i));
            }
        }
        try {
            run(node, "chattr", letters.toString(), p.toAbsolutePath().toString());
        } catch (IOException e) {
            warnOnce("chattr", "chattr attributes not restored: " + e.getMessage());
        }
    }

    private boolean setOwnerByName(PosixFileAttributeView view, byte[] name, boolean user) throws IOException {
        String n = new String(name, StandardCharsets.UTF_8);
        try {
            if (user) {
                view.setOwner(lookup.lookupPrincipalByName(n));
            } else {
                view.setGroup(lookup.lookupPrincipalByGroupName(n));
            }
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        }
    }

    private IOException unknown(CatarNode node, String what, byte[] name) {
        return new IOException(archive + ": " + what + " \"" + CatarPrinter.escape(name) + "\" of "
                + CatarPrinter.path(node) + " (entry at offset " + node.entryOffset + ") is unknown here");
    }

    /** Removes what a directory that existed before holds and the archive does not. */
    private void removeOthers(Open open) throws IOException {
        List<Path> extra = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(open.path)) {
            for (Path p : entries) {
                if (!open.kept.contains(p.getFileName().toString())) {
                    extra.add(p);
                }
            }
        }
        for (Path p : extra) {
            deleteTree(p);
        }
    }

    /** Deletes {@code p} and, if it is a real directory, what it holds; symlinks are removed, never followed. */
    private static void deleteTree(Path p) throws IOException {
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
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
