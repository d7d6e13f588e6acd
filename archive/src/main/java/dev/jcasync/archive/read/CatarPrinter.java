package dev.jcasync.archive.read;

import dev.jcasync.archive.CatarFormat;
import dev.jcasync.archive.read.CatarNode.Kind;
import dev.jcasync.index.FeatureFlags;

/** The lines casync's {@code list} and {@code mtree} print for a node (docs/catar.md 10.2 to 10.4). */
public final class CatarPrinter {
    private static final long[] FLAG_BITS = {
        FeatureFlags.WITH_FLAG_HIDDEN,
        FeatureFlags.WITH_FLAG_SYSTEM,
        FeatureFlags.WITH_FLAG_ARCHIVE,
        FeatureFlags.WITH_FLAG_APPEND,
        FeatureFlags.WITH_FLAG_NODUMP,
        FeatureFlags.WITH_FLAG_IMMUTABLE
    };
    private static final String[] FLAG_NAMES = {"hidden", "system", "archive", "sappend", "nodump", "simmutable"};

    private CatarPrinter() {}

    /**
     * A byte string as casync prints it: bytes up to 0x20, from 0x7f, {@code \} and {@code #} as a
     * backslash and three octal digits.
     */
    public static String escape(byte[] s) {
        return CatarFormat.escape(s);
    }

    /** The path as printed: {@code .} for the root, else the escaped relative path. */
    public static String path(CatarNode node) {
        return node.isRoot() ? "." : escape(node.path);
    }

    /** casync list's line: an {@code ls -l} mode string, a space, the path. */
    public static String listLine(CatarNode node) {
        return modeString(node) + " " + path(node);
    }

    static String modeString(CatarNode node) {
        return CatarFormat.modeString(node.mode);
    }

    /**
     * casync mtree's line. {@code digestKey} is the key casync prints before a file's digest (it
     * comes from the command line's {@code --digest}, e.g. {@code sha512256digest}), {@code
     * digestHex} the digest of the file's contents (ignored for other kinds).
     */
    public static String mtreeLine(CatarNode node, String digestKey, String digestHex) {
        long word = node.features;
        StringBuilder b = new StringBuilder(path(node));
        b.append(" type=")
                .append(
                        switch (node.kind) {
                            case DIRECTORY -> "dir";
                            case FILE -> "file";
                            case SYMLINK -> "link";
                            case BLOCK_DEVICE -> "block";
                            case CHAR_DEVICE -> "char";
                            case FIFO -> "fifo";
                            case SOCKET -> "socket";
                        });
        b.append(" mode=").append(String.format("%04o", node.mode & 07777));
        if (node.kind == Kind.FILE) {
            b.append(" size=").append(node.payloadSize);
        }
        if (node.kind == Kind.SYMLINK) {
            b.append(" link=").append(escape(node.symlinkTarget));
        }
        if (node.kind == Kind.BLOCK_DEVICE || node.kind == Kind.CHAR_DEVICE) {
            b.append(" device=linux,").append(node.major).append(',').append(node.minor);
        }
        boolean numeric = (word & FeatureFlags.UIDS) != 0;
        if (numeric) {
            b.append(" uid=").append(node.uid).append(" gid=").append(node.gid);
        }
        if ((word & FeatureFlags.WITH_USER_NAMES) != 0) {
            String u = node.user != null ? escape(node.user) : numeric && node.uid == 0 ? "root" : null;
            String g = node.group != null ? escape(node.group) : numeric && node.gid == 0 ? "root" : null;
            if (u != null) {
                b.append(" uname=").append(u);
            }
            if (g != null) {
                b.append(" gname=").append(g);
            }
        }
        boolean fileOrDir = node.kind == Kind.FILE || node.kind == Kind.DIRECTORY;
        String sep = " flags=";
        for (int i = 0; i < FLAG_BITS.length; i++) {
            if ((word & FLAG_BITS[i]) != 0) {
                boolean set = !fileOrDir || (node.flags & FLAG_BITS[i]) != 0;
                b.append(sep).append(set ? "" : "no").append(FLAG_NAMES[i]);
                sep = ",";
            }
        }
        if ((word & FeatureFlags.TIME) != 0) {
            b.append(" time=")
                    .append(Long.divideUnsigned(node.mtime, 1_000_000_000L))
                    .append('.')
                    .append(String.format("%09d", Long.remainderUnsigned(node.mtime, 1_000_000_000L)));
        }
        if (node.kind == Kind.FILE) {
            b.append(' ').append(digestKey).append('=').append(digestHex);
        }
        return b.toString();
    }
}
