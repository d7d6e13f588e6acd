package dev.jcasync.archive.read;

import dev.jcasync.archive.CatarFormat;

/** The reader's short names for {@link CatarFormat}'s record types, and their names for messages. */
final class Records {
    static final long ENTRY = CatarFormat.ENTRY;
    static final long USER = CatarFormat.USER;
    static final long GROUP = CatarFormat.GROUP;
    static final long XATTR = CatarFormat.XATTR;
    static final long ACL_USER = CatarFormat.ACL_USER;
    static final long ACL_GROUP = CatarFormat.ACL_GROUP;
    static final long ACL_GROUP_OBJ = CatarFormat.ACL_GROUP_OBJ;
    static final long ACL_DEFAULT = CatarFormat.ACL_DEFAULT;
    static final long ACL_DEFAULT_USER = CatarFormat.ACL_DEFAULT_USER;
    static final long ACL_DEFAULT_GROUP = CatarFormat.ACL_DEFAULT_GROUP;
    static final long SELINUX = CatarFormat.SELINUX;
    static final long FCAPS = CatarFormat.FCAPS;
    static final long QUOTA_PROJID = CatarFormat.QUOTA_PROJID;
    static final long SYMLINK = CatarFormat.SYMLINK;
    static final long DEVICE = CatarFormat.DEVICE;
    static final long PAYLOAD = CatarFormat.PAYLOAD;
    static final long FILENAME = CatarFormat.FILENAME;
    static final long GOODBYE = CatarFormat.GOODBYE;
    static final long GOODBYE_TAIL_MARKER = CatarFormat.GOODBYE_TAIL_MARKER;

    static final int HEADER = CatarFormat.HEADER_SIZE;

    // st_mode file types
    static final int S_IFMT = CatarFormat.S_IFMT;
    static final int S_IFSOCK = CatarFormat.S_IFSOCK;
    static final int S_IFLNK = CatarFormat.S_IFLNK;
    static final int S_IFREG = CatarFormat.S_IFREG;
    static final int S_IFBLK = CatarFormat.S_IFBLK;
    static final int S_IFDIR = CatarFormat.S_IFDIR;
    static final int S_IFCHR = CatarFormat.S_IFCHR;
    static final int S_IFIFO = CatarFormat.S_IFIFO;

    private Records() {}

    /** The record's name for messages, or its hex value if it is not a known type. */
    static String name(long type) {
        if (type == ENTRY) {
            return "ENTRY";
        } else if (type == USER) {
            return "USER";
        } else if (type == GROUP) {
            return "GROUP";
        } else if (type == XATTR) {
            return "XATTR";
        } else if (type == ACL_USER) {
            return "ACL_USER";
        } else if (type == ACL_GROUP) {
            return "ACL_GROUP";
        } else if (type == ACL_GROUP_OBJ) {
            return "ACL_GROUP_OBJ";
        } else if (type == ACL_DEFAULT) {
            return "ACL_DEFAULT";
        } else if (type == ACL_DEFAULT_USER) {
            return "ACL_DEFAULT_USER";
        } else if (type == ACL_DEFAULT_GROUP) {
            return "ACL_DEFAULT_GROUP";
        } else if (type == SELINUX) {
            return "SELINUX";
        } else if (type == FCAPS) {
            return "FCAPS";
        } else if (type == QUOTA_PROJID) {
            return "QUOTA_PROJID";
        } else if (type == SYMLINK) {
            return "SYMLINK";
        } else if (type == DEVICE) {
            return "DEVICE";
        } else if (type == PAYLOAD) {
            return "PAYLOAD";
        } else if (type == FILENAME) {
            return "FILENAME";
        } else if (type == GOODBYE) {
            return "GOODBYE";
        }
        return "unknown record type 0x" + Long.toHexString(type);
    }

    static boolean known(long type) {
        return !name(type).startsWith("unknown");
    }
}
