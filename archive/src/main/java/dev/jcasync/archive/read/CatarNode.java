package dev.jcasync.archive.read;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One node of a catar archive as read: its ENTRY, its metadata records and its body (docs/catar.md
 * sections 4 to 6). Byte strings (names, targets) are kept as bytes; casync never interprets an
 * encoding.
 */
public final class CatarNode {
    /** What kind of file a node is (from the ENTRY's mode). */
    public enum Kind {
        DIRECTORY,
        FILE,
        SYMLINK,
        BLOCK_DEVICE,
        CHAR_DEVICE,
        FIFO,
        SOCKET
    }

    /** An extended attribute: name (without NUL) and value. */
    public record Xattr(byte[] name, byte[] value) {}

    /** A named ACL entry: the numeric id, the permissions (rwx = 4, 2, 1) and the optional name (null if none). */
    public record AclEntry(long id, long permissions, byte[] name) {}

    /** The default ACL's owner, group, other and mask permissions; mask -1: the default ACL has no mask. */
    public record AclDefault(long user, long group, long other, long mask) {}

    final long entryOffset;
    final byte[] name;
    final byte[] path;
    final long features;
    final long mode;
    final long flags;
    final long uid;
    final long gid;
    final long mtime;
    final Kind kind;

    byte[] user;
    byte[] group;
    final List<Xattr> xattrs = new ArrayList<>(0);
    final List<AclEntry> aclUsers = new ArrayList<>(0);
    final List<AclEntry> aclGroups = new ArrayList<>(0);
    long aclGroupObj = -1;
    AclDefault aclDefault;
    final List<AclEntry> aclDefaultUsers = new ArrayList<>(0);
    final List<AclEntry> aclDefaultGroups = new ArrayList<>(0);
    byte[] selinux;
    byte[] fcaps;
    long quotaProjectId;

    long payloadSize = -1;
    byte[] symlinkTarget;
    long major;
    long minor;

    CatarNode(
            long entryOffset,
            byte[] name,
            byte[] path,
            long features,
            long mode,
            long flags,
            long uid,
            long gid,
            long mtime,
            Kind kind) {
        this.entryOffset = entryOffset;
        this.name = name;
        this.path = path;
        this.features = features;
        this.mode = mode;
        this.flags = flags;
        this.uid = uid;
        this.gid = gid;
        this.mtime = mtime;
        this.kind = kind;
    }

    /** Archive offset of the node's ENTRY record. */
    public long entryOffset() {
        return entryOffset;
    }

    /** The node's name (no NUL); empty for the root. */
    public byte[] name() {
        return name.clone();
    }

    /** The path from the root, names joined by '/'; empty for the root. */
    public byte[] path() {
        return path.clone();
    }

    public boolean isRoot() {
        return path.length == 0;
    }

    /** The archive's feature word (the same in every ENTRY). */
    public long features() {
        return features;
    }

    /** st_mode: type bits and the permission bits 07777. */
    public long mode() {
        return mode;
    }

    /** Entry flags, as feature-flag bits (chattr and FAT attributes, subvolume). */
    public long flags() {
        return flags;
    }

    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    /** Modification time in nanoseconds since the epoch (unsigned); 0 without a time flag. */
    public long mtime() {
        return mtime;
    }

    public Kind kind() {
        return kind;
    }

    /** The USER record's name, or null. */
    public byte[] user() {
        return user == null ? null : user.clone();
    }

    /** The GROUP record's name, or null. */
    public byte[] group() {
        return group == null ? null : group.clone();
    }

    public List<Xattr> xattrs() {
        return Collections.unmodifiableList(xattrs);
    }

    public List<AclEntry> aclUsers() {
        return Collections.unmodifiableList(aclUsers);
    }

    public List<AclEntry> aclGroups() {
        return Collections.unmodifiableList(aclGroups);
    }

    /** The owning group's ACL permissions when the access ACL has a mask; -1 if not recorded. */
    public long aclGroupObj() {
        return aclGroupObj;
    }

    /** The default ACL (directories), or null. */
    public AclDefault aclDefault() {
        return aclDefault;
    }

    public List<AclEntry> aclDefaultUsers() {
        return Collections.unmodifiableList(aclDefaultUsers);
    }

    public List<AclEntry> aclDefaultGroups() {
        return Collections.unmodifiableList(aclDefaultGroups);
    }

    /** Whether any ACL record was read for this node. */
    public boolean hasAcl() {
        return !aclUsers.isEmpty()
                || !aclGroups.isEmpty()
                || aclGroupObj >= 0
                || aclDefault != null
                || !aclDefaultUsers.isEmpty()
                || !aclDefaultGroups.isEmpty();
    }

    /** The SELinux label, or null. */
    public byte[] selinux() {
        return selinux == null ? null : selinux.clone();
    }

    /** The raw security.capability value, or null. */
    public byte[] fcaps() {
        return fcaps == null ? null : fcaps.clone();
    }

    /** The quota project id, 0 if none. */
    public long quotaProjectId() {
        return quotaProjectId;
    }

    /** A regular file's length; -1 for other kinds. */
    public long payloadSize() {
        return payloadSize;
    }

    /** A symlink's target (no NUL), or null. */
    public byte[] symlinkTarget() {
        return symlinkTarget == null ? null : symlinkTarget.clone();
    }

    public long major() {
        return major;
    }

    public long minor() {
        return minor;
    }
}
