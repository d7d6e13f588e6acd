package dev.jcasync.archive.read;

/** The record type constants of a catar stream (docs/catar.md section 3), private to the reader. */
final class Records {
    static final long ENTRY = 0x1396fabcea5bbb51L;
    static final long USER = 0xf453131aaeeaccb3L;
    static final long GROUP = 0x25eb6ac969396a52L;
    static final long XATTR = 0xb8157091f80bc486L;
    static final long ACL_USER = 0x297dc88b2ef12fafL;
    static final long ACL_GROUP = 0x36f2acb56cb3dd0bL;
    static final long ACL_GROUP_OBJ = 0x23047110441f38f3L;
    static final long ACL_DEFAULT = 0xfe3eeda6823c8cd0L;
    static final long ACL_DEFAULT_USER = 0xbdf03df9bd010a91L;
    static final long ACL_DEFAULT_GROUP = 0xa0cb1168782d1f51L;
    static final long SELINUX = 0x46faf0602fd26c59L;
    static final long FCAPS = 0xf7267db0afed0629L;
    static final long QUOTA_PROJID = 0x161baf2d8772a72bL;
    static final long SYMLINK = 0x664a6fb6830e0d6cL;
    static final long DEVICE = 0xac3dace369dfe643L;
    static final long PAYLOAD = 0x8b9e1d93d6dcffc9L;
    static final long FILENAME = 0x6dbb6ebcb3161f0bL;
    static final long GOODBYE = 0xdfd35c5e8327c403L;
    static final long GOODBYE_TAIL_MARKER = 0x57446fa533702943L;

    static final int HEADER = 16;

    // st_mode file types
    static final int S_IFMT = 0170000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;

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
