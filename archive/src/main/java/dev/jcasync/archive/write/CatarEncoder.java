package dev.jcasync.archive.write;

import static dev.jcasync.archive.CatarFormat.*;

import dev.jcasync.archive.CatarFormat;
import dev.jcasync.archive.Libc;
import dev.jcasync.archive.write.LinuxFs.Stat;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serialises a directory tree into casync's catar stream, byte for byte as casync's encoder does
 * for the same tree and feature flags (docs/catar.md: records in section 3 to 6, goodbye tables in
 * section 7, which entries are stored in 6.1, how the flags shape each ENTRY in 4 and 8).
 *
 * <p>It streams: file contents pass through a fixed buffer, and a directory's goodbye table needs
 * only its children's offsets, sizes and name hashes; what is held at once is one directory's
 * list of names per level (at most 64 levels, as casync).
 */
public final class CatarEncoder {
    /** Receives every stored node, in archive order (for list and mtree). */
    public interface Listener {
        void node(CatarNode node) throws IOException;

        /** Whether {@link CatarNode#payloadDigest()} is wanted (it costs a hash of every file). */
        default boolean wantsPayloadDigest() {
            return false;
        }
    }

    /** What was written: the archive's length and digest (casync's, as make prints it). */
    public record Result(long size, byte[] digest) {}

    private final FeatureFlags flags;
    private final long word;
    private Listener listener;
    private final Map<Integer, byte[]> userNames = new HashMap<>();
    private final Map<Integer, byte[]> groupNames = new HashMap<>();
    private RecordSink sink;
    private byte[] rootDisplay;

    public CatarEncoder(FeatureFlags flags) {
        this.flags = flags;
        this.word = flags.value();
    }

    private long uidShift;
    private long uidRange = 1L << 32;

    /**
     * casync's {@code --uid-shift}/{@code --uid-range}: stored ids are {@code (id - shift) mod
     * range}; an id below the shift cannot be archived. Default: shift 0, range 2^32 (ids as they are).
     */
    public CatarEncoder uidMapping(long shift, long range) {
        if (shift < 0 || range < 1 || range > 1L << 32) {
            throw new IllegalArgumentException("uid shift " + shift + " / range " + range);
        }
        this.uidShift = shift;
        this.uidRange = range;
        return this;
    }

    private long mapId(int id, String what, byte[] disp) throws IOException {
        long v = id & 0xffffffffL;
        if (v < uidShift) {
            throw new IOException(LinuxFs.display(disp) + ": " + what + " " + v + " is below --uid-shift=" + uidShift);
        }
        return (v - uidShift) % uidRange;
    }

    /** Sets the listener told about every node (null: none). */
    public CatarEncoder listener(Listener l) {
        this.listener = l;
        return this;
    }

    /**
     * Encodes the directory {@code root} into {@code out} (flushed, not closed).
     *
     * @throws IOException naming the file that cannot be read or stored
     */
    public Result encode(String root, OutputStream out) throws IOException {
        return encode(root.getBytes(StandardCharsets.UTF_8), out);
    }

    public Result encode(byte[] root, OutputStream out) throws IOException {
        return encode(new DirectorySource(root), out);
    }

    /** Encodes the tree {@code source} describes into {@code out} (flushed, not closed). */
    public Result encode(TreeSource source, OutputStream out) throws IOException {
        sink = new RecordSink(out, flags.digest().newDigest());
        rootDisplay = source.rootDisplay();
        try (TreeSource.Node root = source.root()) {
            if (root.stat().type() != S_IFDIR) {
                throw new IOException(
                        LinuxFs.display(rootDisplay) + ": not a directory; only directories can be archived");
            }
            node(root, new byte[0], 1);
        }
        sink.flush();
        return new Result(sink.position(), sink.digest());
    }

    private byte[] display(byte[] rel) {
        if (rel.length == 0) {
            return rootDisplay;
        }
        byte[] out = Arrays.copyOf(rootDisplay, rootDisplay.length + 1 + rel.length);
        out[rootDisplay.length] = '/';
        System.arraycopy(rel, 0, out, rootDisplay.length + 1, rel.length);
        return out;
    }

    /** A child of a directory that is going to be stored. */
    private record Child(byte[] name, Stat stat) {}

    /** One goodbye item before sorting. */
    private record Item(long filenameOffset, long end, long hash) {}

    /** Writes one node: ENTRY, meta records, body. */
    private void node(TreeSource.Node fd, byte[] rel, int depth) throws IOException {
        byte[] disp = display(rel);
        Stat st = fd.stat();
        int type = st.type();
        long entryStart = sink.position();
        int inode = (type == S_IFREG || type == S_IFDIR) && flags.hasAny(FeatureFlags.CHATTR) ? fd.inodeFlags() : 0;
        long entryFlags = (type == S_IFREG || type == S_IFDIR) ? FeatureFlags.fromChattr(inode) & word : 0;

        long uid = 0;
        long gid = 0;
        boolean numeric = flags.hasAny(FeatureFlags.UIDS);
        boolean names = flags.hasAny(FeatureFlags.WITH_USER_NAMES);
        if (numeric || names) {
            checkId(st.uid(), "uid", disp);
            checkId(st.gid(), "gid", disp);
        }
        if (numeric) {
            uid = mapId(st.uid(), "uid", disp);
            gid = mapId(st.gid(), "gid", disp);
        }
        long mode = mode(st);
        long g = flags.timeGranularityNanos();
        long mtime = g == 0 ? 0 : Math.floorDiv(st.mtimeNanos(), g) * g;

        sink.header(ENTRY_SIZE, ENTRY);
        sink.u64(word);
        sink.u64(mode);
        sink.u64(entryFlags);
        sink.u64(uid);
        sink.u64(gid);
        sink.u64(mtime);

        byte[] user = null;
        byte[] group = null;
        if (names) {
            user = ownerName(st.uid(), true, numeric);
            group = ownerName(st.gid(), false, numeric);
            if (user != null) {
                sink.stringRecord(USER, user);
            }
            if (group != null) {
                sink.stringRecord(GROUP, group);
            }
        }
        if (flags.hasAny(FeatureFlags.WITH_XATTRS) && (type == S_IFREG || type == S_IFDIR)) {
            xattrs(fd);
        }
        if (flags.hasAny(FeatureFlags.WITH_ACL) && type != S_IFLNK) {
            acls(fd, type == S_IFDIR, disp);
        }
        if (flags.hasAny(FeatureFlags.WITH_SELINUX)) {
            byte[] label = fd.xattr(SECURITY_SELINUX);
            if (label != null) {
                int len = label.length;
                while (len > 0 && label[len - 1] == 0) {
                    len--;
                }
                if (len > 0) {
                    sink.stringRecord(SELINUX, Arrays.copyOf(label, len));
                }
            }
        }
        if (flags.hasAny(FeatureFlags.WITH_FCAPS) && type == S_IFREG) {
            byte[] caps = fd.xattr(SECURITY_CAPABILITY);
            if (caps != null && caps.length > 0) {
                sink.header(HEADER_SIZE + (long) caps.length, FCAPS);
                sink.bytes(caps);
            }
        }
        long projid = 0;
        if (flags.hasAny(FeatureFlags.WITH_QUOTA_PROJID) && (type == S_IFREG || type == S_IFDIR)) {
            projid = fd.projectId();
            if (projid != 0) {
                sink.header(QUOTA_PROJID_SIZE, QUOTA_PROJID);
                sink.u64(projid);
            }
        }

        byte[] linkTarget = null;
        byte[] payloadDigest = null;
        long size = 0;
        long major = 0;
        long minor = 0;
        switch (type) {
            case S_IFREG -> {
                size = st.size();
                payloadDigest = payload(fd, st.size(), disp);
            }
            case S_IFLNK -> {
                linkTarget = fd.readlink();
                if (linkTarget.length == 0) {
                    throw new IOException(LinuxFs.display(disp) + ": empty symlink target");
                }
                sink.stringRecord(SYMLINK, linkTarget);
            }
            case S_IFBLK, S_IFCHR -> {
                major = st.rdevMajor() & 0xffffffffL;
                minor = st.rdevMinor() & 0xffffffffL;
                sink.header(DEVICE_SIZE, DEVICE);
                sink.u64(major);
                sink.u64(minor);
            }
            default -> {
                // FIFOs and sockets have no body; directories are written below
            }
        }
        if (listener != null && type != S_IFDIR) {
            listener.node(new CatarNode(
                    rel,
                    mode,
                    entryFlags,
                    uid,
                    gid,
                    user,
                    group,
                    mtime,
                    size,
                    linkTarget,
                    major,
                    minor,
                    payloadDigest,
                    projid,
                    st.uid() & 0xffffffffL,
                    st.gid() & 0xffffffffL));
        }
        if (type == S_IFDIR) {
            if (listener != null) {
                listener.node(new CatarNode(
                        rel,
                        mode,
                        entryFlags,
                        uid,
                        gid,
                        user,
                        group,
                        mtime,
                        0,
                        null,
                        0,
                        0,
                        null,
                        projid,
                        st.uid() & 0xffffffffL,
                        st.gid() & 0xffffffffL));
            }
            directory(fd, rel, depth, entryStart);
        }
    }

    private void directory(TreeSource.Node fd, byte[] rel, int depth, long entryStart) throws IOException {
        List<byte[]> names = new ArrayList<>(fd.list());
        names.sort(Arrays::compareUnsigned);
        boolean pushed = false;
        for (byte[] n : names) {
            if (Arrays.equals(n, CAEXCLUDE)) {
                byte[] rules = readExcludeFile(fd, rel.length == 0 ? n : join(rel, n));
                if (rules != null) {
                    excludes.addLast(new ExcludeFile(rel, rules));
                    pushed = true;
                }
            }
        }
        try {
            directoryChildren(fd, fd.stat(), rel, names, depth, entryStart);
        } finally {
            if (pushed) {
                excludes.removeLast();
            }
        }
    }

    private void directoryChildren(
            TreeSource.Node fd, Stat st, byte[] rel, List<byte[]> names, int depth, long entryStart)
            throws IOException {
        byte[] disp = display(rel);
        List<Child> children = new ArrayList<>(names.size());
        for (byte[] n : names) {
            byte[] childRel = rel.length == 0 ? n : join(rel, n);
            Stat cs = fd.childStat(n, display(childRel));
            if (cs != null && !excluded(childRel, n, cs.type() == S_IFDIR) && stored(fd, n, cs, st, childRel)) {
                children.add(new Child(n, cs));
            }
        }
        if (!children.isEmpty() && depth >= MAX_DEPTH) {
            throw new IOException(LinuxFs.display(disp) + ": more than " + MAX_DEPTH + " nested directories");
        }
        List<Item> items = new ArrayList<>(children.size());
        for (Child c : children) {
            byte[] childRel = rel.length == 0 ? c.name() : join(rel, c.name());
            long start = sink.position();
            sink.stringRecord(FILENAME, c.name());
            int type = c.stat().type();
            try (TreeSource.Node cfd = fd.open(c.name(), c.stat(), display(childRel))) {
                if (cfd.stat().type() != type) {
                    throw new IOException(LinuxFs.display(display(childRel)) + ": changed while being archived");
                }
                node(cfd, childRel, depth + 1);
            }
            items.add(new Item(start, sink.position(), nameHash(c.name())));
        }
        goodbye(items, entryStart);
    }

    private static final byte[] CAEXCLUDE = ".caexclude".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_EXCLUDE_FILE = 1 << 20;
    private final ArrayDeque<ExcludeFile> excludes = new ArrayDeque<>();

    /** A directory's .caexclude, or null if it is not a regular file. */
    private byte[] readExcludeFile(TreeSource.Node dirfd, byte[] rel) throws IOException {
        Stat s = dirfd.childStat(CAEXCLUDE, display(rel));
        if (s == null || s.type() != S_IFREG) {
            return null;
        }
        if (s.size() > MAX_EXCLUDE_FILE) {
            throw new IOException(LinuxFs.display(display(rel)) + ": larger than " + MAX_EXCLUDE_FILE + " bytes");
        }
        try (TreeSource.Node fd = dirfd.open(CAEXCLUDE, s, display(rel))) {
            byte[] buf = new byte[(int) s.size()];
            int n = 0;
            while (n < buf.length) {
                byte[] chunk = new byte[buf.length - n];
                int r = fd.read(chunk, chunk.length);
                if (r == 0) {
                    break;
                }
                System.arraycopy(chunk, 0, buf, n, r);
                n += r;
            }
            return Arrays.copyOf(buf, n);
        }
    }

    /** Whether the .caexclude files in force leave the entry out: one matches it and none makes an exception. */
    private boolean excluded(byte[] rel, byte[] name, boolean directory) {
        boolean out = false;
        for (ExcludeFile f : excludes) {
            Boolean d = f.decide(rel, name, directory);
            if (d != null) {
                if (!d) {
                    return false;
                }
                out = true;
            }
        }
        return out;
    }

    /** Whether a child is stored (docs/catar.md 6.1). */
    private boolean stored(TreeSource.Node dirfd, byte[] name, Stat cs, Stat parent, byte[] childRel)
            throws IOException {
        switch (cs.type()) {
            case S_IFLNK:
                if (!flags.hasAny(FeatureFlags.WITH_SYMLINKS)) {
                    return false;
                }
                break;
            case S_IFBLK:
            case S_IFCHR:
                if (!flags.hasAny(FeatureFlags.WITH_DEVICE_NODES)) {
                    return false;
                }
                break;
            case S_IFIFO:
                if (!flags.hasAny(FeatureFlags.WITH_FIFOS)) {
                    return false;
                }
                break;
            case S_IFSOCK:
                if (!flags.hasAny(FeatureFlags.WITH_SOCKETS)) {
                    return false;
                }
                break;
            case S_IFREG:
            case S_IFDIR:
                break;
            default:
                throw new IOException(LinuxFs.display(display(childRel)) + ": unknown file type");
        }
        if (flags.hasAny(FeatureFlags.EXCLUDE_SUBMOUNTS)
                && (cs.devMajor() != parent.devMajor() || cs.devMinor() != parent.devMinor())) {
            return false;
        }
        if (flags.hasAny(FeatureFlags.EXCLUDE_NODUMP) && (cs.type() == S_IFREG || cs.type() == S_IFDIR)) {
            try (TreeSource.Node cfd = dirfd.open(name, cs, display(childRel))) {
                if ((cfd.inodeFlags() & 0x40) != 0) { // FS_NODUMP_FL
                    return false;
                }
            }
        }
        return true;
    }

    private void goodbye(List<Item> items, long entryStart) throws IOException {
        long start = sink.position();
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> {
            int c = Long.compareUnsigned(a.hash(), b.hash());
            return c != 0 ? c : Long.compare(a.filenameOffset(), b.filenameOffset());
        });
        int n = sorted.size();
        int[] layout = CatarFormat.goodbyeLayout(n);
        long size = goodbyeSize(n);
        sink.header(size, GOODBYE);
        for (int i = 0; i < n; i++) {
            Item it = sorted.get(layout[i]);
            sink.u64(start - it.filenameOffset());
            sink.u64(it.end() - it.filenameOffset());
            sink.u64(it.hash());
        }
        sink.u64(start - entryStart);
        sink.u64(size);
        sink.u64(GOODBYE_TAIL_MARKER);
    }

    private byte[] payload(TreeSource.Node fd, long size, byte[] disp) throws IOException {
        sink.header(HEADER_SIZE + size, PAYLOAD);
        MessageDigest md = listener != null && listener.wantsPayloadDigest()
                ? flags.digest().newDigest()
                : null;
        byte[] buf = new byte[1 << 17];
        long left = size;
        while (left > 0) {
            int n = fd.read(buf, (int) Math.min(buf.length, left));
            if (n == 0) {
                throw new IOException(LinuxFs.display(disp) + ": file shrank while being archived (" + (size - left)
                        + " of " + size + " bytes)");
            }
            sink.bytes(buf, 0, n);
            if (md != null) {
                md.update(buf, 0, n);
            }
            left -= n;
        }
        return md == null ? null : md.digest();
    }

    private long mode(Stat st) {
        int type = st.type();
        if (type == S_IFLNK) {
            return S_IFLNK | 0777;
        }
        boolean dir = type == S_IFDIR;
        if (flags.hasAny(FeatureFlags.WITH_PERMISSIONS | FeatureFlags.WITH_ACL)) {
            return st.mode() & (S_IFMT | 07777);
        }
        if (flags.hasAny(FeatureFlags.WITH_READ_ONLY)) {
            boolean writable = (st.mode() & 0222) != 0;
            return type | (dir ? (writable ? 0777 : 0555) : (writable ? 0666 : 0444));
        }
        return type | (dir ? 0777 : 0666);
    }

    private void checkId(int id, String what, byte[] disp) throws IOException {
        long v = id & 0xffffffffL;
        if (v == 65535 || v == 0xffffffffL) {
            throw new IOException(LinuxFs.display(disp) + ": " + what + " " + v + " cannot be archived (invalid id)");
        }
        if (flags.hasAny(FeatureFlags.WITH_16BIT_UIDS) && (v - uidShift) % uidRange > 65535) {
            throw new IOException(LinuxFs.display(disp) + ": " + what + " " + v
                    + " does not fit the archive's 16bit-uids (use --with=32bit-uids)");
        }
    }

    /** The USER/GROUP name to store, or null for none (docs/catar.md 5.1). */
    private byte[] ownerName(int id, boolean user, boolean numeric) throws IOException {
        if (id == 0) {
            return null;
        }
        Map<Integer, byte[]> cache = user ? userNames : groupNames;
        byte[] name;
        if (cache.containsKey(id)) {
            name = cache.get(id);
        } else {
            name = user ? LinuxFs.userName(id) : LinuxFs.groupName(id);
            if (name != null && !validName(name)) {
                name = null; // casync's decoder would refuse the whole archive
            }
            cache.put(id, name);
        }
        if (name == null && !numeric) {
            return Long.toString(id & 0xffffffffL).getBytes(StandardCharsets.US_ASCII);
        }
        return name;
    }

    /** 1 to 255 bytes, [A-Za-z_] then [A-Za-z0-9_-], not "root" (docs/catar.md 5.1). */
    static boolean validName(byte[] n) {
        if (n.length == 0 || n.length > MAX_USER_NAME) {
            return false;
        }
        for (int i = 0; i < n.length; i++) {
            int c = n[i];
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean ok = i == 0 ? alpha : alpha || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return !Arrays.equals(n, "root".getBytes(StandardCharsets.US_ASCII));
    }

    private void xattrs(TreeSource.Node fd) throws IOException {
        List<byte[]> names = new ArrayList<>();
        for (byte[] n : fd.xattrNames()) {
            if (archivableXattr(n)) {
                names.add(n);
            }
        }
        names.sort(Arrays::compareUnsigned);
        for (byte[] n : names) {
            byte[] value = fd.xattr(n);
            if (value == null) {
                continue; // removed since it was listed
            }
            sink.header(HEADER_SIZE + n.length + 1L + value.length, XATTR);
            sink.bytes(n);
            sink.zero();
            sink.bytes(value);
        }
    }

    /** user.* and trusted.* names with something after the namespace (docs/catar.md 5.2). */
    static boolean archivableXattr(byte[] n) {
        if (n.length > MAX_XATTR_NAME) {
            return false;
        }
        String s = new String(n, StandardCharsets.ISO_8859_1);
        return (s.startsWith("user.") && s.length() > 5) || (s.startsWith("trusted.") && s.length() > 8);
    }

    /** One entry of a POSIX ACL as stored. */
    private record AclEntry(long id, byte[] name, long permissions) {}

    private static final Comparator<AclEntry> ACL_ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.id(), b.id());
        if (c != 0) {
            return c;
        }
        if ((a.name() == null) != (b.name() == null)) {
            return a.name() == null ? -1 : 1;
        }
        if (a.name() != null) {
            c = Arrays.compareUnsigned(a.name(), b.name());
            if (c != 0) {
                return c;
            }
        }
        return Long.compare(a.permissions(), b.permissions());
    };

    private static final int ACL_TAG_USER_OBJ = 1;
    private static final int ACL_TAG_USER = 2;
    private static final int ACL_TAG_GROUP_OBJ = 4;
    private static final int ACL_TAG_GROUP = 8;
    private static final int ACL_TAG_MASK = 0x10;
    private static final int ACL_TAG_OTHER = 0x20;

    /** A parsed {@code system.posix_acl_*} value. */
    private static final class Acl {
        final List<AclEntry> users = new ArrayList<>();
        final List<AclEntry> groups = new ArrayList<>();
        long userObj = -1;
        long groupObj = -1;
        long other = -1;
        long mask = -1;
    }

    private Acl parseAcl(byte[] v, byte[] disp) throws IOException {
        if (v == null || v.length < 4) {
            return null;
        }
        if (Libc.i32(v, 0) != 2 || (v.length - 4) % 8 != 0) {
            throw new IOException(LinuxFs.display(disp) + ": unsupported POSIX ACL format");
        }
        Acl acl = new Acl();
        boolean numeric = flags.hasAny(FeatureFlags.UIDS);
        boolean names = flags.hasAny(FeatureFlags.WITH_USER_NAMES);
        for (int off = 4; off < v.length; off += 8) {
            int tag = (v[off] & 0xff) | (v[off + 1] & 0xff) << 8;
            long perm = ((v[off + 2] & 0xff) | (v[off + 3] & 0xff) << 8) & 7;
            int id = Libc.i32(v, off + 4);
            switch (tag) {
                case ACL_TAG_USER_OBJ -> acl.userObj = perm;
                case ACL_TAG_GROUP_OBJ -> acl.groupObj = perm;
                case ACL_TAG_OTHER -> acl.other = perm;
                case ACL_TAG_MASK -> acl.mask = perm;
                case ACL_TAG_USER, ACL_TAG_GROUP -> {
                    boolean user = tag == ACL_TAG_USER;
                    byte[] name = null;
                    if (names && id != 0) {
                        Map<Integer, byte[]> cache = user ? userNames : groupNames;
                        if (cache.containsKey(id)) {
                            name = cache.get(id);
                        } else {
                            name = user ? LinuxFs.userName(id) : LinuxFs.groupName(id);
                            if (name != null && !validName(name)) {
                                name = null;
                            }
                            cache.put(id, name);
                        }
                    }
                    AclEntry e = new AclEntry(numeric ? id & 0xffffffffL : 0, name, perm);
                    (user ? acl.users : acl.groups).add(e);
                }
                default -> throw new IOException(LinuxFs.display(disp) + ": unknown POSIX ACL entry tag " + tag);
            }
        }
        acl.users.sort(ACL_ORDER);
        acl.groups.sort(ACL_ORDER);
        return acl;
    }

    private void acls(TreeSource.Node fd, boolean dir, byte[] disp) throws IOException {
        Acl a = parseAcl(fd.xattr(ACL_ACCESS_XATTR), disp);
        if (a != null) {
            for (AclEntry e : a.users) {
                aclEntry(ACL_USER, e);
            }
            for (AclEntry e : a.groups) {
                aclEntry(ACL_GROUP, e);
            }
            if (a.mask != -1 && a.groupObj != -1) {
                sink.header(ACL_GROUP_OBJ_SIZE, ACL_GROUP_OBJ);
                sink.u64(a.groupObj);
            }
        }
        if (!dir) {
            return;
        }
        Acl d = parseAcl(fd.xattr(ACL_DEFAULT_XATTR), disp);
        if (d != null) {
            sink.header(ACL_DEFAULT_SIZE, ACL_DEFAULT);
            sink.u64(d.userObj);
            sink.u64(d.groupObj);
            sink.u64(d.other);
            sink.u64(d.mask == -1 ? ACL_NO_MASK : d.mask);
            for (AclEntry e : d.users) {
                aclEntry(ACL_DEFAULT_USER, e);
            }
            for (AclEntry e : d.groups) {
                aclEntry(ACL_DEFAULT_GROUP, e);
            }
        }
    }

    private void aclEntry(long type, AclEntry e) throws IOException {
        long size = ACL_ENTRY_SIZE + (e.name() == null ? 0 : e.name().length + 1L);
        sink.header(size, type);
        sink.u64(e.id());
        sink.u64(e.permissions());
        if (e.name() != null) {
            sink.bytes(e.name());
            sink.zero();
        }
    }

    static final byte[] SECURITY_SELINUX = "security.selinux".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SECURITY_CAPABILITY = "security.capability".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ACL_ACCESS_XATTR = "system.posix_acl_access".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ACL_DEFAULT_XATTR = "system.posix_acl_default".getBytes(StandardCharsets.US_ASCII);

    private static byte[] join(byte[] dir, byte[] name) {
        return join(dir, name, true);
    }

    private static byte[] join(byte[] a, byte[] b, boolean slash) {
        byte[] out = Arrays.copyOf(a, a.length + (slash ? 1 : 0) + b.length);
        if (slash) {
            out[a.length] = '/';
        }
        System.arraycopy(b, 0, out, a.length + (slash ? 1 : 0), b.length);
        return out;
    }
}
