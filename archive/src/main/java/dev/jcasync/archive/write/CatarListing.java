package dev.jcasync.archive.write;

import static dev.jcasync.archive.CatarFormat.*;

import dev.jcasync.archive.CatarFormat;
import dev.jcasync.index.FeatureFlags;
import java.util.HexFormat;

/**
 * The lines casync's {@code list} and {@code mtree} print for a node (docs/catar.md 10.2 to 10.4),
 * from what the archive stores.
 */
public final class CatarListing {
    private CatarListing() {}

    /** {@code list}: an ls-style mode string, a space, the escaped path ({@code .} for the root). */
    public static String listLine(CatarNode n) {
        return modeString(n.mode()) + " " + path(n.path());
    }

    /**
     * {@code mtree}: path and keywords.
     *
     * @param word the archive's feature flags
     * @param digestKey the digest keyword from the command line's {@code --digest} ({@code
     *     sha512256digest} or {@code sha256digest})
     */
    public static String mtreeLine(CatarNode n, long word, String digestKey) {
        StringBuilder b = new StringBuilder(path(n.path()));
        int type = (int) (n.mode() & S_IFMT);
        b.append(" type=").append(typeName(type));
        b.append(String.format(" mode=%04o", n.mode() & 07777));
        if (type == S_IFREG) {
            b.append(" size=").append(Long.toUnsignedString(n.size()));
        }
        if (type == S_IFLNK && n.linkTarget() != null) {
            b.append(" link=").append(escape(n.linkTarget()));
        }
        if (type == S_IFBLK || type == S_IFCHR) {
            b.append(" device=linux,").append(n.deviceMajor()).append(',').append(n.deviceMinor());
        }
        boolean numeric = (word & FeatureFlags.UIDS) != 0;
        if (numeric) {
            b.append(" uid=").append(n.uid()).append(" gid=").append(n.gid());
        }
        if ((word & FeatureFlags.WITH_USER_NAMES) != 0) {
            String u = ownerName(n.userName(), numeric, n.sourceUid());
            if (u != null) {
                b.append(" uname=").append(u);
            }
            String g = ownerName(n.groupName(), numeric, n.sourceGid());
            if (g != null) {
                b.append(" gname=").append(g);
            }
        }
        long[] bits = {
            FeatureFlags.WITH_FLAG_HIDDEN,
            FeatureFlags.WITH_FLAG_SYSTEM,
            FeatureFlags.WITH_FLAG_ARCHIVE,
            FeatureFlags.WITH_FLAG_APPEND,
            FeatureFlags.WITH_FLAG_NODUMP,
            FeatureFlags.WITH_FLAG_IMMUTABLE
        };
        String[] names = {"hidden", "system", "archive", "sappend", "nodump", "simmutable"};
        boolean any = false;
        // casync prints every attribute as set for nodes that are neither files nor directories
        boolean allSet = type != S_IFREG && type != S_IFDIR;
        for (int i = 0; i < bits.length; i++) {
            if ((word & bits[i]) == 0) {
                continue;
            }
            b.append(any ? "," : " flags=");
            any = true;
            if (!allSet && (n.flags() & bits[i]) == 0) {
                b.append("no");
            }
            b.append(names[i]);
        }
        if ((word & FeatureFlags.TIME) != 0) {
            b.append(String.format(
                    " time=%d.%09d",
                    Long.divideUnsigned(n.mtime(), 1_000_000_000L), Long.remainderUnsigned(n.mtime(), 1_000_000_000L)));
        }
        if (type == S_IFREG && n.payloadDigest() != null) {
            b.append(' ').append(digestKey).append('=').append(HexFormat.of().formatHex(n.payloadDigest()));
        }
        return b.toString();
    }

    private static String ownerName(byte[] stored, boolean numeric, long id) {
        if (stored != null) {
            return escape(stored);
        }
        return numeric && id == 0 ? "root" : null;
    }

    static String typeName(int type) {
        return switch (type) {
            case S_IFDIR -> "dir";
            case S_IFREG -> "file";
            case S_IFLNK -> "link";
            case S_IFIFO -> "fifo";
            case S_IFSOCK -> "socket";
            case S_IFCHR -> "char";
            case S_IFBLK -> "block";
            default -> "unknown";
        };
    }

    /** The root is {@code .}; other paths relative, escaped. */
    static String path(byte[] rel) {
        return rel.length == 0 ? "." : escape(rel);
    }

    /** Bytes <= 0x20 or >= 0x7f, backslash and '#' as a backslash and three octal digits. */
    public static String escape(byte[] s) {
        return CatarFormat.escape(s);
    }

    /** casync's mode string (sticky bit on directories only). */
    public static String modeString(long mode) {
        return CatarFormat.modeString(mode);
    }

    /** casync's {@code stat} FileAttr: the chattr letters S D i a d A c N C P, '-' where unset. */
    public static String chattrString(long entryFlags) {
        long[] bits = {
            FeatureFlags.WITH_FLAG_SYNC,
            FeatureFlags.WITH_FLAG_DIRSYNC,
            FeatureFlags.WITH_FLAG_IMMUTABLE,
            FeatureFlags.WITH_FLAG_APPEND,
            FeatureFlags.WITH_FLAG_NODUMP,
            FeatureFlags.WITH_FLAG_NOATIME,
            FeatureFlags.WITH_FLAG_COMPR,
            FeatureFlags.WITH_FLAG_NOCOMP,
            FeatureFlags.WITH_FLAG_NOCOW,
            FeatureFlags.WITH_FLAG_PROJINHERIT
        };
        String codes = "SDiadAcNCP";
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < bits.length; i++) {
            b.append((entryFlags & bits[i]) != 0 ? codes.charAt(i) : '-');
        }
        return b.toString();
    }

    /** casync's {@code stat} FATAttr: h s a, '-' where unset. */
    public static String fatString(long entryFlags) {
        return ((entryFlags & FeatureFlags.WITH_FLAG_HIDDEN) != 0 ? "h" : "-")
                + ((entryFlags & FeatureFlags.WITH_FLAG_SYSTEM) != 0 ? "s" : "-")
                + ((entryFlags & FeatureFlags.WITH_FLAG_ARCHIVE) != 0 ? "a" : "-");
    }
}
