package dev.jcasync.archive.read;

import static dev.jcasync.archive.read.Records.*;

import dev.jcasync.archive.read.CatarNode.AclDefault;
import dev.jcasync.archive.read.CatarNode.AclEntry;
import dev.jcasync.archive.read.CatarNode.Kind;
import dev.jcasync.archive.read.CatarNode.Xattr;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A streaming catar decoder (docs/catar.md). {@link #next} reads one node at a time; a regular
 * file's contents are streamed by {@link #payload} (and skipped if not read). Memory is bounded
 * whatever the archive claims: every length is checked against the format's limits before
 * anything is allocated, a node's metadata is capped at {@link #MAX_META_BYTES}, directories nest
 * at most {@link #MAX_DEPTH} deep, and per directory only a fixed-size summary of the children is
 * kept to check its GOODBYE against.
 *
 * <p>The rules casync's decoder enforces (section 11) are enforced here, and more: children must
 * be in strictly increasing name order (so no name appears twice), a GOODBYE's items must describe
 * exactly the children read (offset, size and name hash of each), and nothing may follow the root's
 * GOODBYE. The one deliberate leniency: under {@code usec-time} an mtime need only be a multiple of
 * 1 000 ns (casync wrongly asks for 1 000 000). Every error is a {@link CatarFormatException}
 * naming the archive and the offset.
 */
public final class CatarReader {
    /** Most directories open at once, the root included. */
    public static final int MAX_DEPTH = 256;
    /** Most bytes of metadata records one node may carry. */
    public static final long MAX_META_BYTES = 8L << 20;

    private static final long FAT_CHATTR_SUBVOL =
            FeatureFlags.FAT_ATTRS | FeatureFlags.CHATTR | FeatureFlags.WITH_SUBVOLUME | FeatureFlags.WITH_SUBVOLUME_RO;

    private final String archive;
    private final Input in;
    private final long expectedFeatures;
    private final boolean checkExpected;
    /** Key of the keyed hash summarising each directory's children (random, so an archive cannot be built to collide). */
    private final long k0;

    private final long k1;

    private long features;
    private boolean started;
    private boolean done;
    private final Deque<Dir> stack = new ArrayDeque<>();
    /** A header already read that the next call handles (the record after a FIFO's or directory's metadata). */
    private Header pending;
    /** Bytes of the current file's payload not read yet. */
    private long payloadLeft;

    private record Header(long offset, long size, long type) {}

    /** A directory being read: what its GOODBYE must match. */
    private static final class Dir {
        final CatarNode node;
        byte[] lastName;
        long childStart = -1;
        long childHash;
        long children;
        long sum;
        long xor;

        Dir(CatarNode node) {
            this.node = node;
        }
    }

    /** Reads the archive {@code channel}; {@code archive} names it in errors. */
    public CatarReader(ReadableByteChannel channel, String archive) {
        this(channel, archive, 0, false);
    }

    /**
     * Reads the archive that a {@code .caidx} with feature word {@code indexFeatures} describes: every
     * ENTRY must carry that word (casync's rule).
     */
    public static CatarReader forIndex(ReadableByteChannel channel, String archive, long indexFeatures) {
        return new CatarReader(channel, archive, indexFeatures, true);
    }

    private CatarReader(ReadableByteChannel channel, String archive, long expected, boolean check) {
        this.in = new Input(channel);
        this.archive = archive;
        this.expectedFeatures = expected;
        this.checkExpected = check;
        SecureRandom random = new SecureRandom();
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
    }

    /** The archive's feature word (known after the first {@link #next}). */
    public long features() {
        return features;
    }

    /** The archive offset of the next byte to be read. */
    public long position() {
        return in.position();
    }

    /** The next node or end of a directory; null after the root's GOODBYE. */
    public CatarEvent next() throws IOException {
        if (payloadLeft > 0) {
            long at = in.position();
            if (!in.skip(payloadLeft)) {
                throw truncated(at, "in a PAYLOAD");
            }
            payloadLeft = 0;
        }
        if (done) {
            return null;
        }
        if (!started) {
            started = true;
            CatarNode root = readNode(new byte[0], new byte[0]);
            if (root.kind != Kind.DIRECTORY) {
                throw error(0, "the root is not a directory (mode " + Long.toOctalString(root.mode) + ")");
            }
            stack.push(new Dir(root));
            return new CatarEvent(CatarEvent.Type.ENTER, root);
        }
        Dir dir = stack.peek();
        Header h = pending != null ? pending : readHeader();
        pending = null;
        if (dir.childStart >= 0) {
            addChild(dir, dir.childStart, h.offset, dir.childHash);
            dir.childStart = -1;
        }
        if (h.type == FILENAME) {
            byte[] name = cstring(h, readContent(h, HEADER + 1, HEADER + 256), "file name");
            checkName(h.offset, name);
            if (dir.lastName != null && Arrays.compareUnsigned(dir.lastName, name) >= 0) {
                throw error(
                        h.offset,
                        "file name \"" + CatarPrinter.escape(name) + "\" does not sort after \""
                                + CatarPrinter.escape(dir.lastName) + "\" (names must be unique and in order)");
            }
            dir.lastName = name;
            dir.childStart = h.offset;
            dir.childHash = SipHash.ofName(name);
            byte[] parent = dir.node.path;
            byte[] path;
            if (parent.length == 0) {
                path = name;
            } else {
                path = Arrays.copyOf(parent, parent.length + 1 + name.length);
                path[parent.length] = '/';
                System.arraycopy(name, 0, path, parent.length + 1, name.length);
            }
            long entryAt = in.position();
            CatarNode node = readNode(name, path);
            if (node.kind == Kind.DIRECTORY) {
                if (stack.size() >= MAX_DEPTH) {
                    throw error(entryAt, "directories nested deeper than " + MAX_DEPTH + " levels");
                }
                stack.push(new Dir(node));
                return new CatarEvent(CatarEvent.Type.ENTER, node);
            }
            return new CatarEvent(CatarEvent.Type.NODE, node);
        }
        if (h.type == GOODBYE) {
            checkGoodbye(dir, h);
            stack.pop();
            if (stack.isEmpty()) {
                done = true;
                if (in.fill(1)) {
                    throw error(in.position(), "data after the root directory's GOODBYE (the archive should end here)");
                }
            }
            return new CatarEvent(CatarEvent.Type.LEAVE, dir.node);
        }
        throw error(
                h.offset,
                "unexpected " + Records.name(h.type) + " record in a directory (expected FILENAME or GOODBYE)");
    }

    /**
     * The contents of the file {@link #next} just returned, read from the archive; what is left
     * unread is skipped by the next call of {@link #next}.
     */
    public InputStream payload() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (payloadLeft == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, payloadLeft));
                if (n < 0) {
                    throw truncated(in.position(), "in a PAYLOAD");
                }
                payloadLeft -= n;
                return n;
            }
        };
    }

    // ---------------------------------------------------------------------------------------------

    private Header readHeader() throws IOException {
        long at = in.position();
        if (!in.fill(HEADER)) {
            throw truncated(at, "where a record header should be");
        }
        long size = in.getLong();
        long type = in.getLong();
        if (size < HEADER) { // also every size of 2^63 bytes or more
            throw error(at, "record size " + Long.toUnsignedString(size) + " is impossible");
        }
        if (!Records.known(type)) {
            throw error(at, Records.name(type));
        }
        return new Header(at, size, type);
    }

    /** The record's content after the header, its size checked to be within [min, max] first. */
    private byte[] readContent(Header h, long min, long max) throws IOException {
        if (Long.compareUnsigned(h.size, min) < 0 || Long.compareUnsigned(h.size, max) > 0) {
            throw error(
                    h.offset,
                    Records.name(h.type) + " record of size " + Long.toUnsignedString(h.size)
                            + (min == max ? " (must be " + min + ")" : " (must be " + min + " to " + max + ")"));
        }
        byte[] b = new byte[(int) (h.size - HEADER)];
        if (!in.readFully(b, 0, b.length)) {
            throw truncated(h.offset, "in a " + Records.name(h.type) + " record");
        }
        return b;
    }

    private static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** A NUL-terminated string: the NUL last and nowhere else. */
    private byte[] cstring(Header h, byte[] b, String what) throws CatarFormatException {
        return cstring(h.offset, b, 0, what);
    }

    private byte[] cstring(long offset, byte[] b, int from, String what) throws CatarFormatException {
        if (b.length <= from || b[b.length - 1] != 0) {
            throw error(offset, what + " is not NUL-terminated");
        }
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == 0) {
                throw error(offset, what + " contains a NUL byte");
            }
        }
        return Arrays.copyOfRange(b, from, b.length - 1);
    }

    private void checkName(long offset, byte[] name) throws CatarFormatException {
        if (name.length == 0) {
            throw error(offset, "empty file name");
        }
        if (name.length > 255) {
            throw error(offset, "file name longer than 255 bytes");
        }
        if ((name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
            throw error(offset, "file name \"" + new String(name, java.nio.charset.StandardCharsets.US_ASCII) + "\"");
        }
        for (byte c : name) {
            if (c == '/') {
                throw error(offset, "file name \"" + CatarPrinter.escape(name) + "\" contains '/'");
            }
        }
    }

    private CatarNode readNode(byte[] name, byte[] path) throws IOException {
        Header h = readHeader();
        if (h.type != ENTRY) {
            throw error(h.offset, "expected an ENTRY record, found " + Records.name(h.type));
        }
        byte[] e = readContent(h, 64, 64);
        long word = u64(e, 0);
        long mode = u64(e, 8);
        long flags = u64(e, 16);
        long uid = u64(e, 24);
        long gid = u64(e, 32);
        long mtime = u64(e, 40);
        checkFeatures(h.offset, word);
        Kind kind = checkMode(h.offset, word, mode);
        if (path.length == 0 && kind != Kind.DIRECTORY) {
            throw error(h.offset, "the root is not a directory (mode 0" + Long.toOctalString(mode) + ")");
        }
        checkEntry(h.offset, word, kind, flags, uid, gid, mtime);
        CatarNode node = new CatarNode(h.offset, name, path, word, mode, flags, uid, gid, mtime, kind);
        readMeta(node);
        return node;
    }

    private void checkFeatures(long at, long word) throws CatarFormatException {
        if (at == 0) {
            if ((word & ~FeatureFlags.KNOWN) != 0) {
                throw error(
                        at,
                        "feature flags 0x" + Long.toHexString(word) + " have bits this version does not know (0x"
                                + Long.toHexString(word & ~FeatureFlags.KNOWN) + ")");
            }
            if (!FeatureFlags.isNormalized(word)) {
                throw error(at, "feature flags 0x" + Long.toHexString(word) + " are not normalised");
            }
            if (checkExpected && word != expectedFeatures) {
                throw error(
                        at,
                        "feature flags 0x" + Long.toHexString(word) + " differ from the index's 0x"
                                + Long.toHexString(expectedFeatures));
            }
            features = word;
        } else if (word != features) {
            throw error(
                    at,
                    "feature flags 0x" + Long.toHexString(word) + " differ from the archive's 0x"
                            + Long.toHexString(features));
        }
    }

    private Kind checkMode(long at, long word, long mode) throws CatarFormatException {
        if ((mode & ~(long) (S_IFMT | 07777)) != 0) {
            throw error(at, "mode 0" + Long.toOctalString(mode) + " has unknown bits");
        }
        int type = (int) mode & S_IFMT;
        int perms = (int) mode & 07777;
        Kind kind;
        long needs = 0;
        switch (type) {
            case S_IFDIR -> kind = Kind.DIRECTORY;
            case S_IFREG -> kind = Kind.FILE;
            case S_IFLNK -> {
                kind = Kind.SYMLINK;
                needs = FeatureFlags.WITH_SYMLINKS;
            }
            case S_IFBLK -> {
                kind = Kind.BLOCK_DEVICE;
                needs = FeatureFlags.WITH_DEVICE_NODES;
            }
            case S_IFCHR -> {
                kind = Kind.CHAR_DEVICE;
                needs = FeatureFlags.WITH_DEVICE_NODES;
            }
            case S_IFIFO -> {
                kind = Kind.FIFO;
                needs = FeatureFlags.WITH_FIFOS;
            }
            case S_IFSOCK -> {
                kind = Kind.SOCKET;
                needs = FeatureFlags.WITH_SOCKETS;
            }
            default -> throw error(at, "mode 0" + Long.toOctalString(mode) + " is not a known file type");
        }
        if ((word & needs) != needs) {
            throw error(
                    at,
                    "a " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + " in an archive without the flag for it");
        }
        if (kind == Kind.SYMLINK) {
            if (perms != 0777) {
                throw error(at, "symlink with mode 0" + Long.toOctalString(perms) + " (must be 0777)");
            }
        } else if ((word & (FeatureFlags.WITH_PERMISSIONS | FeatureFlags.WITH_ACL)) == 0) {
            int full = kind == Kind.DIRECTORY ? 0777 : 0666;
            int readOnly = kind == Kind.DIRECTORY ? 0555 : 0444;
            boolean ok = perms == full || ((word & FeatureFlags.WITH_READ_ONLY) != 0 && perms == readOnly);
            if (!ok) {
                throw error(
                        at,
                        "permissions 0" + Integer.toOctalString(perms)
                                + " in an archive that does not store permissions");
            }
        }
        return kind;
    }

    private void checkEntry(long at, long word, Kind kind, long flags, long uid, long gid, long mtime)
            throws CatarFormatException {
        boolean fileOrDir = kind == Kind.FILE || kind == Kind.DIRECTORY;
        if ((flags & ~(word & FAT_CHATTR_SUBVOL)) != 0 || (flags != 0 && !fileOrDir)) {
            throw error(at, "entry flags 0x" + Long.toHexString(flags) + " not allowed here");
        }
        if (kind != Kind.DIRECTORY && (flags & (FeatureFlags.WITH_SUBVOLUME | FeatureFlags.WITH_SUBVOLUME_RO)) != 0) {
            throw error(at, "subvolume flags on something that is not a directory");
        }
        for (long id : new long[] {uid, gid}) {
            boolean ok;
            if ((word & FeatureFlags.WITH_16BIT_UIDS) != 0) {
                ok = Long.compareUnsigned(id, 65535) < 0;
            } else if ((word & FeatureFlags.WITH_32BIT_UIDS) != 0) {
                ok = Long.compareUnsigned(id, 0xffffffffL) < 0 && id != 65535;
            } else {
                ok = id == 0;
            }
            if (!ok) {
                throw error(at, "uid/gid " + Long.toUnsignedString(id) + " not allowed by the archive's flags");
            }
        }
        long granularity;
        if ((word & FeatureFlags.WITH_NSEC_TIME) != 0) {
            granularity = 1;
        } else if ((word & FeatureFlags.WITH_USEC_TIME) != 0) {
            granularity = 1_000;
        } else if ((word & FeatureFlags.WITH_SEC_TIME) != 0) {
            granularity = 1_000_000_000L;
        } else if ((word & FeatureFlags.WITH_2SEC_TIME) != 0) {
            granularity = 2_000_000_000L;
        } else {
            granularity = 0;
        }
        if (mtime == -1L
                || (granularity == 0 && mtime != 0)
                || (granularity > 1 && Long.remainderUnsigned(mtime, granularity) != 0)) {
            throw error(at, "mtime " + Long.toUnsignedString(mtime) + " not allowed by the archive's time flags");
        }
    }

    /** Rank of each meta record in the fixed order of docs/catar.md section 2; 0: not a meta record. */
    private static int rank(long type) {
        if (type == USER) {
            return 1;
        } else if (type == GROUP) {
            return 2;
        } else if (type == XATTR) {
            return 3;
        } else if (type == ACL_USER) {
            return 4;
        } else if (type == ACL_GROUP) {
            return 5;
        } else if (type == ACL_GROUP_OBJ) {
            return 6;
        } else if (type == ACL_DEFAULT) {
            return 7;
        } else if (type == ACL_DEFAULT_USER) {
            return 8;
        } else if (type == ACL_DEFAULT_GROUP) {
            return 9;
        } else if (type == SELINUX) {
            return 10;
        } else if (type == FCAPS) {
            return 11;
        } else if (type == QUOTA_PROJID) {
            return 12;
        }
        return 0;
    }

    private static boolean repeatable(int rank) {
        return rank == 3 || rank == 4 || rank == 5 || rank == 8 || rank == 9;
    }

    private void readMeta(CatarNode node) throws IOException {
        long word = node.features;
        int last = 0;
        long metaBytes = 0;
        while (true) {
            Header h = readHeader();
            int rank = rank(h.type);
            if (rank == 0) {
                finishMeta(node, h.offset);
                readBody(node, h);
                return;
            }
            if (rank < last || (rank == last && !repeatable(rank))) {
                throw error(h.offset, Records.name(h.type) + " record out of order");
            }
            last = rank;
            metaBytes += Long.compareUnsigned(h.size, MAX_META_BYTES) > 0 ? MAX_META_BYTES + 1 : h.size;
            if (metaBytes > MAX_META_BYTES) {
                throw error(h.offset, "more than " + MAX_META_BYTES + " bytes of metadata for one entry");
            }
            boolean dir = node.kind == Kind.DIRECTORY;
            if (h.type == USER || h.type == GROUP) {
                need(h, word, FeatureFlags.WITH_USER_NAMES, "user-names");
                byte[] n = cstring(h, readContent(h, HEADER + 2, HEADER + 256), "user or group name");
                checkUserName(h.offset, n, true);
                if (h.type == USER) {
                    node.user = n;
                } else {
                    node.group = n;
                }
            } else if (h.type == XATTR) {
                need(h, word, FeatureFlags.WITH_XATTRS, "xattrs");
                byte[] b = readContent(h, HEADER + 4, HEADER + 256 + 65536);
                int nul = 0;
                while (nul < b.length && b[nul] != 0) {
                    nul++;
                }
                if (nul == b.length) {
                    throw error(h.offset, "xattr name is not NUL-terminated");
                }
                byte[] xname = Arrays.copyOf(b, nul);
                checkXattrName(h.offset, xname);
                if (!node.xattrs.isEmpty()
                        && Arrays.compareUnsigned(
                                        node.xattrs.get(node.xattrs.size() - 1).name(), xname)
                                >= 0) {
                    throw error(h.offset, "xattrs not in strictly increasing order");
                }
                node.xattrs.add(new Xattr(xname, Arrays.copyOfRange(b, nul + 1, b.length)));
            } else if (h.type == ACL_USER
                    || h.type == ACL_GROUP
                    || h.type == ACL_DEFAULT_USER
                    || h.type == ACL_DEFAULT_GROUP) {
                need(h, word, FeatureFlags.WITH_ACL, "acl");
                acl(node, h);
                byte[] b = readContent(h, 32, 32 + 256);
                long id = u64(b, 0);
                long perms = checkPerms(h.offset, u64(b, 8));
                byte[] aname = null;
                if (b.length > 16) {
                    need(h, word, FeatureFlags.WITH_USER_NAMES, "user-names");
                    aname = cstring(h.offset, b, 16, "ACL name");
                    checkUserName(h.offset, aname, false);
                }
                if (Long.compareUnsigned(id, 0xffffffffL) >= 0) {
                    throw error(h.offset, "ACL id " + Long.toUnsignedString(id) + " out of range");
                }
                AclEntry entry = new AclEntry(id, perms, aname);
                List<AclEntry> list = h.type == ACL_USER
                        ? node.aclUsers
                        : h.type == ACL_GROUP
                                ? node.aclGroups
                                : h.type == ACL_DEFAULT_USER ? node.aclDefaultUsers : node.aclDefaultGroups;
                if (!list.isEmpty() && compare(list.get(list.size() - 1), entry) >= 0) {
                    throw error(h.offset, Records.name(h.type) + " records not in strictly increasing order");
                }
                if ((h.type == ACL_DEFAULT_USER || h.type == ACL_DEFAULT_GROUP) && !dir) {
                    throw error(h.offset, "a default ACL on something that is not a directory");
                }
                list.add(entry);
            } else if (h.type == ACL_GROUP_OBJ) {
                need(h, word, FeatureFlags.WITH_ACL, "acl");
                acl(node, h);
                node.aclGroupObj = checkPerms(h.offset, u64(readContent(h, 24, 24), 0));
            } else if (h.type == ACL_DEFAULT) {
                need(h, word, FeatureFlags.WITH_ACL, "acl");
                acl(node, h);
                if (!dir) {
                    throw error(h.offset, "a default ACL on something that is not a directory");
                }
                byte[] b = readContent(h, 48, 48);
                long mask = u64(b, 24);
                node.aclDefault = new AclDefault(
                        checkPerms(h.offset, u64(b, 0)),
                        checkPerms(h.offset, u64(b, 8)),
                        checkPerms(h.offset, u64(b, 16)),
                        mask == -1L ? -1L : checkPerms(h.offset, mask));
            } else if (h.type == SELINUX) {
                need(h, word, FeatureFlags.WITH_SELINUX, "selinux");
                node.selinux = cstring(h, readContent(h, HEADER + 2, HEADER + 4096), "SELinux label");
            } else if (h.type == FCAPS) {
                need(h, word, FeatureFlags.WITH_FCAPS, "fcaps");
                if (node.kind != Kind.FILE) {
                    throw error(h.offset, "FCAPS on something that is not a regular file");
                }
                node.fcaps = readContent(h, HEADER + 1, HEADER + 65536);
            } else {
                need(h, word, FeatureFlags.WITH_QUOTA_PROJID, "quota-projid");
                if (node.kind != Kind.FILE && !dir) {
                    throw error(h.offset, "QUOTA_PROJID on something that is not a file or directory");
                }
                long id = u64(readContent(h, 24, 24), 0);
                if (id == 0 || Long.compareUnsigned(id, 0xffffffffL) > 0) {
                    throw error(h.offset, "quota project id " + Long.toUnsignedString(id) + " out of range");
                }
                node.quotaProjectId = id;
            }
        }
    }

    private void acl(CatarNode node, Header h) throws CatarFormatException {
        if (node.kind == Kind.SYMLINK) {
            throw error(h.offset, "ACL records on a symlink");
        }
    }

    private static int compare(AclEntry a, AclEntry b) {
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
        return Long.compareUnsigned(a.permissions(), b.permissions());
    }

    private long checkPerms(long at, long perms) throws CatarFormatException {
        if ((perms & ~7L) != 0) {
            throw error(at, "ACL permissions 0x" + Long.toHexString(perms) + " have bits other than rwx");
        }
        return perms;
    }

    private void need(Header h, long word, long flag, String flagName) throws CatarFormatException {
        if ((word & flag) == 0) {
            throw error(h.offset, Records.name(h.type) + " record in an archive without " + flagName);
        }
    }

    private void checkUserName(long at, byte[] n, boolean notRoot) throws CatarFormatException {
        boolean ok = n.length >= 1 && n.length <= 255;
        for (int i = 0; ok && i < n.length; i++) {
            int c = n[i];
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            ok = letter || (i > 0 && ((c >= '0' && c <= '9') || c == '-'));
        }
        if (ok && notRoot && Arrays.equals(n, new byte[] {'r', 'o', 'o', 't'})) {
            ok = false;
        }
        if (!ok) {
            throw error(at, "invalid user or group name \"" + CatarPrinter.escape(n) + "\"");
        }
    }

    private void checkXattrName(long at, byte[] n) throws CatarFormatException {
        int dot = -1;
        for (int i = 0; i < n.length; i++) {
            if (n[i] == '.') {
                dot = i;
                break;
            }
        }
        if (n.length > 255 || dot <= 0 || dot == n.length - 1) {
            throw error(at, "invalid xattr name \"" + CatarPrinter.escape(n) + "\"");
        }
    }

    private void finishMeta(CatarNode node, long at) throws CatarFormatException {
        if ((!node.aclUsers.isEmpty() || !node.aclGroups.isEmpty()) && node.aclGroupObj < 0) {
            throw error(at, "named ACL entries without an ACL_GROUP_OBJ record (entry at " + node.entryOffset + ")");
        }
        if ((!node.aclDefaultUsers.isEmpty() || !node.aclDefaultGroups.isEmpty())
                && (node.aclDefault == null || node.aclDefault.mask() == -1L)) {
            throw error(at, "named default ACL entries without a default ACL mask (entry at " + node.entryOffset + ")");
        }
        long word = node.features;
        if ((word & FeatureFlags.WITH_USER_NAMES) != 0
                && (word & FeatureFlags.UIDS) == 0
                && (node.user == null || node.group == null)) {
            throw error(
                    at,
                    "the archive stores user names without numeric ids, and the entry at " + node.entryOffset
                            + " lacks a USER or GROUP record");
        }
    }

    private void readBody(CatarNode node, Header h) throws IOException {
        switch (node.kind) {
            case FILE -> {
                if (h.type != PAYLOAD) {
                    throw unexpected(h, "PAYLOAD");
                }
                node.payloadSize = h.size - HEADER;
                payloadLeft = node.payloadSize;
            }
            case SYMLINK -> {
                if (h.type != SYMLINK) {
                    throw unexpected(h, "SYMLINK");
                }
                node.symlinkTarget = cstring(h, readContent(h, HEADER + 2, HEADER + 4096), "symlink target");
            }
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                if (h.type != DEVICE) {
                    throw unexpected(h, "DEVICE");
                }
                byte[] b = readContent(h, 32, 32);
                node.major = u64(b, 0);
                node.minor = u64(b, 8);
                if (Long.compareUnsigned(node.major, 1L << 12) >= 0
                        || Long.compareUnsigned(node.minor, 1L << 20) >= 0) {
                    throw error(
                            h.offset,
                            "device number " + Long.toUnsignedString(node.major) + ","
                                    + Long.toUnsignedString(node.minor) + " out of range");
                }
            }
            default -> {
                // a directory's children or GOODBYE; after a FIFO or socket, the parent's next record
                if (h.type != FILENAME && h.type != GOODBYE) {
                    throw unexpected(h, "FILENAME or GOODBYE");
                }
                pending = h;
            }
        }
    }

    private CatarFormatException unexpected(Header h, String expected) {
        return error(
                h.offset,
                "unexpected " + Records.name(h.type) + " record (expected " + expected + " for a "
                        + "node of this type)");
    }

    private void addChild(Dir dir, long start, long end, long hash) {
        long mix = mix(start, end, hash);
        dir.children++;
        dir.sum += mix;
        dir.xor ^= Long.rotateLeft(mix, 17) * 0x9E3779B97F4A7C15L;
    }

    private long mix(long start, long end, long hash) {
        byte[] b = ByteBuffer.allocate(24)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(start)
                .putLong(end)
                .putLong(hash)
                .array();
        return SipHash.hash(k0, k1, b, 0, 24);
    }

    /**
     * Checks a GOODBYE against the children read: the tail (marker, size, the directory's ENTRY),
     * the number of items, and that the items are exactly the children's offsets, sizes and name
     * hashes (as a multiset, through a keyed summary, so in constant memory).
     */
    private void checkGoodbye(Dir dir, Header h) throws IOException {
        long g = h.offset;
        if (Long.compareUnsigned(h.size, 40) < 0 || Long.remainderUnsigned(h.size - 40, 24) != 0) {
            throw error(g, "GOODBYE record of size " + Long.toUnsignedString(h.size) + " (must be 40 + 24 * n)");
        }
        long items = Long.divideUnsigned(h.size - 40, 24);
        if (items != dir.children) {
            throw error(
                    g, "GOODBYE lists " + Long.toUnsignedString(items) + " entries, the directory has " + dir.children);
        }
        long sum = 0;
        long xor = 0;
        for (long i = 0; i < items; i++) {
            long at = in.position();
            if (!in.fill(24)) {
                throw truncated(at, "in a GOODBYE record");
            }
            long offset = in.getLong();
            long size = in.getLong();
            long hash = in.getLong();
            long start = g - offset;
            long mix = mix(start, start + size, hash);
            sum += mix;
            xor ^= Long.rotateLeft(mix, 17) * 0x9E3779B97F4A7C15L;
        }
        if (sum != dir.sum || xor != dir.xor) {
            throw error(g, "GOODBYE items do not match the directory's entries (offsets, sizes or name hashes)");
        }
        long at = in.position();
        if (!in.fill(24)) {
            throw truncated(at, "in a GOODBYE record");
        }
        long entryOffset = in.getLong();
        long size = in.getLong();
        long marker = in.getLong();
        if (marker != GOODBYE_TAIL_MARKER) {
            throw error(at + 16, "GOODBYE tail marker is 0x" + Long.toHexString(marker));
        }
        if (size != h.size) {
            throw error(at + 8, "GOODBYE tail size " + Long.toUnsignedString(size) + " differs from the record's");
        }
        if (entryOffset != g - dir.node.entryOffset) {
            throw error(
                    at,
                    "GOODBYE tail points " + Long.toUnsignedString(entryOffset)
                            + " bytes back, the directory's ENTRY is " + (g - dir.node.entryOffset) + " bytes back");
        }
    }

    private CatarFormatException truncated(long at, String where) {
        return error(at, "archive ends early (truncated " + where + ")");
    }

    private CatarFormatException error(long at, String reason) {
        return new CatarFormatException(archive, at, reason);
    }
}
