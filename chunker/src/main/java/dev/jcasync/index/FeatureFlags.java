package dev.jcasync.index;

import dev.jcasync.chunker.DigestAlgorithm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * casync's 64-bit feature-flag word: what a directory archive stores (the "with" bits), plus four
 * high bits for the exclusion rules and the digest. Every index header carries it; for a blob index
 * only the bits the command line asked for are set ({@code 0xb000000000000000} by default).
 *
 * <p>Names, groups and the normalization rules are casync's (version 2), checked against the
 * casync binary for every name, with and without. A value of this class is always normalized, the
 * only form casync's readers accept: {@link #of} normalizes, {@link #parseStrict} refuses what is
 * not. {@link Selection} is how casync's {@code --with=}/{@code --without=} and exclusion options
 * combine into the word.
 *
 * <p>casync applies no privileged/unprivileged difference when it builds the word: a make of the
 * same directory as root and as uid 65534 both give {@code 0xb0000001ffeffe26}; the {@code
 * privileged} group only names the bits that need privileges to restore. What differs between
 * builds is SELinux support ({@link #ARCHIVE_DEFAULT_WITH} vs {@link #ARCHIVE_DEFAULT_WITH_NO_SELINUX}).
 */
public final class FeatureFlags {
    public static final long WITH_16BIT_UIDS = 0x1L;
    public static final long WITH_32BIT_UIDS = 0x2L;
    public static final long WITH_USER_NAMES = 0x4L;
    public static final long WITH_SEC_TIME = 0x8L;
    public static final long WITH_USEC_TIME = 0x10L;
    public static final long WITH_NSEC_TIME = 0x20L;
    public static final long WITH_2SEC_TIME = 0x40L;
    public static final long WITH_READ_ONLY = 0x80L;
    public static final long WITH_PERMISSIONS = 0x100L;
    public static final long WITH_SYMLINKS = 0x200L;
    public static final long WITH_DEVICE_NODES = 0x400L;
    public static final long WITH_FIFOS = 0x800L;
    public static final long WITH_SOCKETS = 0x1000L;
    public static final long WITH_FLAG_HIDDEN = 0x2000L;
    public static final long WITH_FLAG_SYSTEM = 0x4000L;
    public static final long WITH_FLAG_ARCHIVE = 0x8000L;
    public static final long WITH_FLAG_APPEND = 0x10000L;
    public static final long WITH_FLAG_NOATIME = 0x20000L;
    public static final long WITH_FLAG_COMPR = 0x40000L;
    public static final long WITH_FLAG_NOCOW = 0x80000L;
    public static final long WITH_FLAG_NODUMP = 0x100000L;
    public static final long WITH_FLAG_DIRSYNC = 0x200000L;
    public static final long WITH_FLAG_IMMUTABLE = 0x400000L;
    public static final long WITH_FLAG_SYNC = 0x800000L;
    public static final long WITH_FLAG_NOCOMP = 0x1000000L;
    public static final long WITH_FLAG_PROJINHERIT = 0x2000000L;
    public static final long WITH_SUBVOLUME = 0x4000000L;
    public static final long WITH_SUBVOLUME_RO = 0x8000000L;
    public static final long WITH_XATTRS = 0x10000000L;
    public static final long WITH_ACL = 0x20000000L;
    public static final long WITH_SELINUX = 0x40000000L;
    public static final long WITH_FCAPS = 0x80000000L;
    public static final long WITH_QUOTA_PROJID = 0x100000000L;

    /** {@code .caexclude} files are honoured (casync's default; {@code --exclude-file=no} clears it). */
    public static final long EXCLUDE_FILE = 0x1000000000000000L;
    /** Chunk ids and digests are SHA-512/256; clear: SHA-256 ({@code --digest=sha256}). */
    public static final long SHA512_256 = 0x2000000000000000L;
    /** Submounts are skipped ({@code --exclude-submounts=yes}; off by default). */
    public static final long EXCLUDE_SUBMOUNTS = 0x4000000000000000L;
    /** Files with chattr {@code +d} are skipped (casync's default; {@code --exclude-nodump=no} clears it). */
    public static final long EXCLUDE_NODUMP = 0x8000000000000000L;

    /** Every "with" bit: the {@code all} group. */
    public static final long WITH_MASK = 0x1FFFFFFFFL;
    /** Every bit casync knows; a word with any other bit is refused ("Protocol not supported"). */
    public static final long KNOWN = WITH_MASK | EXCLUDE_FILE | SHA512_256 | EXCLUDE_SUBMOUNTS | EXCLUDE_NODUMP;

    public static final long FAT_ATTRS = WITH_FLAG_HIDDEN | WITH_FLAG_SYSTEM | WITH_FLAG_ARCHIVE;
    public static final long CHATTR = WITH_FLAG_APPEND
            | WITH_FLAG_NOATIME
            | WITH_FLAG_COMPR
            | WITH_FLAG_NOCOW
            | WITH_FLAG_NODUMP
            | WITH_FLAG_DIRSYNC
            | WITH_FLAG_IMMUTABLE
            | WITH_FLAG_SYNC
            | WITH_FLAG_NOCOMP
            | WITH_FLAG_PROJINHERIT;
    public static final long TIME = WITH_SEC_TIME | WITH_USEC_TIME | WITH_NSEC_TIME | WITH_2SEC_TIME;
    public static final long UIDS = WITH_16BIT_UIDS | WITH_32BIT_UIDS;
    /** Store the most accurate information (note: without {@code permissions}; {@code acl} implies them). */
    public static final long BEST = WITH_32BIT_UIDS
            | WITH_USER_NAMES
            | WITH_NSEC_TIME
            | WITH_SYMLINKS
            | WITH_DEVICE_NODES
            | WITH_FIFOS
            | WITH_SOCKETS
            | FAT_ATTRS
            | CHATTR
            | WITH_SUBVOLUME
            | WITH_SUBVOLUME_RO
            | WITH_XATTRS
            | WITH_ACL
            | WITH_SELINUX
            | WITH_FCAPS
            | WITH_QUOTA_PROJID;
    /** Conservative UNIX file properties (what RAUC asks for). */
    public static final long UNIX = WITH_16BIT_UIDS
            | WITH_PERMISSIONS
            | WITH_SEC_TIME
            | WITH_SYMLINKS
            | WITH_DEVICE_NODES
            | WITH_FIFOS
            | WITH_SOCKETS;

    public static final long FAT = WITH_2SEC_TIME | WITH_READ_ONLY | FAT_ATTRS;
    /** What only a privileged user can restore. */
    public static final long PRIVILEGED = UIDS
            | WITH_USER_NAMES
            | WITH_DEVICE_NODES
            | WITH_FLAG_SYSTEM
            | WITH_FLAG_APPEND
            | WITH_FLAG_IMMUTABLE
            | WITH_SUBVOLUME
            | WITH_SUBVOLUME_RO
            | WITH_ACL
            | WITH_SELINUX
            | WITH_FCAPS
            | WITH_QUOTA_PROJID;
    /** What {@code casync mount} can expose again. */
    public static final long FUSE = UIDS
            | TIME
            | WITH_READ_ONLY
            | WITH_PERMISSIONS
            | WITH_SYMLINKS
            | WITH_DEVICE_NODES
            | WITH_FIFOS
            | WITH_SOCKETS
            | FAT_ATTRS
            | CHATTR
            | WITH_XATTRS;

    /**
     * The "with" bits a make uses when no {@code --with=} is given, for a directory archive
     * (casync's SUPPORTED_WITH_MASK of an SELinux-enabled build, as Debian's). A blob index starts
     * from {@link #BLOB_DEFAULT_WITH} instead.
     */
    public static final long ARCHIVE_DEFAULT_WITH = WITH_MASK;
    /** The same for a casync built without SELinux support. */
    public static final long ARCHIVE_DEFAULT_WITH_NO_SELINUX = WITH_MASK & ~WITH_SELINUX;
    /** Blob make and blob digest start from no "with" bit at all. */
    public static final long BLOB_DEFAULT_WITH = 0;

    /** The individual names, in bit order (as {@code casync --with=help} lists them). */
    private static final Map<String, Long> BITS = new LinkedHashMap<>();
    /** Individual names, then the groups, as casync's parser takes them. */
    private static final Map<String, Long> NAMES = new LinkedHashMap<>();

    static {
        String[] names = {
            "16bit-uids",
            "32bit-uids",
            "user-names",
            "sec-time",
            "usec-time",
            "nsec-time",
            "2sec-time",
            "read-only",
            "permissions",
            "symlinks",
            "device-nodes",
            "fifos",
            "sockets",
            "flag-hidden",
            "flag-system",
            "flag-archive",
            "flag-append",
            "flag-noatime",
            "flag-compr",
            "flag-nocow",
            "flag-nodump",
            "flag-dirsync",
            "flag-immutable",
            "flag-sync",
            "flag-nocomp",
            "flag-projinherit",
            "subvolume",
            "subvolume-ro",
            "xattrs",
            "acl",
            "selinux",
            "fcaps",
            "quota-projid"
        };
        for (int i = 0; i < names.length; i++) {
            BITS.put(names[i], 1L << i);
        }
        NAMES.putAll(BITS);
        NAMES.put("best", BEST);
        NAMES.put("unix", UNIX);
        NAMES.put("fat", FAT);
        NAMES.put("chattr", CHATTR);
        NAMES.put("fat-attrs", FAT_ATTRS);
        NAMES.put("privileged", PRIVILEGED);
        NAMES.put("fuse", FUSE);
        NAMES.put("all", WITH_MASK);
    }

    /** casync's default word for a directory archive: {@code 0xb0000001ffeffe26}. */
    public static final FeatureFlags ARCHIVE_DEFAULT =
            Selection.DEFAULT.resolve(ARCHIVE_DEFAULT_WITH, DigestAlgorithm.SHA512_256);
    /** casync's default word for a blob index: {@code 0xb000000000000000}. */
    public static final FeatureFlags BLOB_DEFAULT =
            Selection.DEFAULT.resolve(BLOB_DEFAULT_WITH, DigestAlgorithm.SHA512_256);

    private final long value;

    private FeatureFlags(long value) {
        this.value = value;
    }

    /** The normalized form of {@code word}, as casync's encoder stores it; refuses unknown bits. */
    public static FeatureFlags of(long word) {
        return new FeatureFlags(normalize(word));
    }

    /**
     * {@code word} as read from a file: refused, as casync refuses it, when it has bits casync does
     * not know or is not normalized.
     */
    public static FeatureFlags parseStrict(long word) {
        if (word == -1L || (word & ~KNOWN) != 0) {
            throw new IllegalArgumentException(
                    String.format("unknown feature flags 0x%x (known: 0x%x)", word & ~KNOWN, KNOWN));
        }
        long normal = normalize(word);
        if (normal != word) {
            throw new IllegalArgumentException(String.format(
                    "feature flags 0x%016x are not normalized (casync writes 0x%016x): %s",
                    word, normal, explainDenormal(word)));
        }
        return new FeatureFlags(word);
    }

    /** The 64-bit word. */
    public long value() {
        return value;
    }

    /** Only the "with" bits. */
    public long withBits() {
        return value & WITH_MASK;
    }

    /** Whether every bit of {@code bits} is set. */
    public boolean hasAll(long bits) {
        return (value & bits) == bits;
    }

    /** Whether any bit of {@code bits} is set. */
    public boolean hasAny(long bits) {
        return (value & bits) != 0;
    }

    /** The algorithm that names chunks and digests under this word. */
    public DigestAlgorithm digest() {
        return (value & SHA512_256) != 0 ? DigestAlgorithm.SHA512_256 : DigestAlgorithm.SHA256;
    }

    /** This word with the digest bit set for {@code digest}. */
    public FeatureFlags withDigest(DigestAlgorithm digest) {
        return new FeatureFlags(digest == DigestAlgorithm.SHA512_256 ? value | SHA512_256 : value & ~SHA512_256);
    }

    /**
     * The granularity of stored modification times in nanoseconds (1, 1000, 10^9 or 2*10^9), or 0
     * when no time flag is set and times are not stored.
     */
    public long timeGranularityNanos() {
        if ((value & WITH_NSEC_TIME) != 0) {
            return 1;
        } else if ((value & WITH_USEC_TIME) != 0) {
            return 1_000;
        } else if ((value & WITH_SEC_TIME) != 0) {
            return 1_000_000_000;
        } else if ((value & WITH_2SEC_TIME) != 0) {
            return 2_000_000_000;
        }
        return 0;
    }

    /** The uid/gid width stored: 32, 16, or 0 when numeric ids are not stored. */
    public int uidBits() {
        return (value & WITH_32BIT_UIDS) != 0 ? 32 : (value & WITH_16BIT_UIDS) != 0 ? 16 : 0;
    }

    /** The names of the set "with" bits, in bit order, separated by spaces (casync's {@code -v} form). */
    public String describe() {
        return String.join(" ", names(value));
    }

    /** The individual names of the "with" bits set in {@code word}, in bit order. */
    public static List<String> names(long word) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : BITS.entrySet()) {
            if ((word & e.getValue()) != 0) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Every individual flag name, in bit order (what {@code --with=help} prints). */
    public static List<String> individualNames() {
        return List.copyOf(BITS.keySet());
    }

    /** Every name {@code --with=}/{@code --without=} accept: the individual ones, then the groups. */
    public static Map<String, Long> allNames() {
        return Collections.unmodifiableMap(NAMES);
    }

    /**
     * The bits a {@code --with=}/{@code --without=} name stands for (exact, case-sensitive, as casync).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static long parseName(String name) {
        Long bits = NAMES.get(name);
        if (bits == null) {
            throw new IllegalArgumentException(
                    "unknown feature flag '" + name + "' (known: " + String.join(", ", NAMES.keySet()) + ")");
        }
        return bits;
    }

    /**
     * casync's normalization: drops the bits another set bit makes redundant and adds the ones it
     * implies, in casync's order.
     *
     * @throws IllegalArgumentException for all-ones or unknown bits
     */
    public static long normalize(long word) {
        if (word == -1L || (word & ~KNOWN) != 0) {
            throw new IllegalArgumentException(String.format("unknown feature flags 0x%x", word & ~KNOWN));
        }
        long f = word;
        if ((f & WITH_ACL) != 0 && (f & (UIDS | WITH_USER_NAMES)) == 0) {
            f |= WITH_32BIT_UIDS | WITH_USER_NAMES; // ACL entries name users: store them somehow
        }
        if ((f & WITH_32BIT_UIDS) != 0) {
            f &= ~WITH_16BIT_UIDS;
        }
        if ((f & WITH_NSEC_TIME) != 0) {
            f &= ~(WITH_USEC_TIME | WITH_SEC_TIME | WITH_2SEC_TIME);
        }
        if ((f & WITH_USEC_TIME) != 0) {
            f &= ~(WITH_SEC_TIME | WITH_2SEC_TIME);
        }
        if ((f & WITH_SEC_TIME) != 0) {
            f &= ~WITH_2SEC_TIME;
        }
        if ((f & WITH_ACL) != 0) {
            f &= ~(WITH_PERMISSIONS | WITH_READ_ONLY);
        }
        if ((f & WITH_PERMISSIONS) != 0) {
            f &= ~WITH_READ_ONLY;
        }
        if ((f & EXCLUDE_NODUMP) != 0) {
            f &= ~WITH_FLAG_NODUMP; // excluded files cannot carry the flag
        }
        if ((f & WITH_SUBVOLUME_RO) != 0) {
            f |= WITH_SUBVOLUME;
        }
        return f;
    }

    /** Whether {@code word} is already in casync's normalized form (and has only known bits). */
    public static boolean isNormalized(long word) {
        return word != -1L && (word & ~KNOWN) == 0 && normalize(word) == word;
    }

    /**
     * A mask of what a reader may restore, widened as casync widens it: any uid bit stands for
     * both, any time bit for all four, {@code permissions} for {@code read-only}, {@code acl} for
     * both, {@code subvolume-ro} for {@code subvolume}. Extract applies
     * {@code normalize(widen(archive) & widen(requested))}.
     */
    public static long widen(long mask) {
        if (mask == -1L) {
            return -1L;
        }
        long m = mask & KNOWN;
        if ((m & UIDS) != 0) {
            m |= UIDS;
        }
        if ((m & TIME) != 0) {
            m |= TIME;
        }
        if ((m & WITH_PERMISSIONS) != 0) {
            m |= WITH_READ_ONLY;
        }
        if ((m & WITH_ACL) != 0) {
            m |= WITH_PERMISSIONS | WITH_READ_ONLY;
        }
        if ((m & WITH_SUBVOLUME_RO) != 0) {
            m |= WITH_SUBVOLUME;
        }
        return m;
    }

    private static final long[][] CHATTR_MAP = {
        {WITH_FLAG_APPEND, 0x20}, {WITH_FLAG_NOATIME, 0x80}, {WITH_FLAG_COMPR, 0x4}, {WITH_FLAG_NOCOW, 0x800000},
        {WITH_FLAG_NODUMP, 0x40}, {WITH_FLAG_DIRSYNC, 0x10000}, {WITH_FLAG_IMMUTABLE, 0x10}, {WITH_FLAG_SYNC, 0x8},
        {WITH_FLAG_NOCOMP, 0x400}, {WITH_FLAG_PROJINHERIT, 0x20000000},
    };
    private static final long[][] FAT_MAP = {{WITH_FLAG_HIDDEN, 0x2}, {WITH_FLAG_SYSTEM, 0x4}, {WITH_FLAG_ARCHIVE, 0x20}
    };

    /** Feature bits for Linux inode flags ({@code FS_IOC_GETFLAGS}); unmapped flags are dropped. */
    public static long fromChattr(int inodeFlags) {
        return toFeatures(inodeFlags, CHATTR_MAP);
    }

    /** Linux inode flags for the chattr feature bits of {@code word}. */
    public static int toChattr(long word) {
        return (int) fromFeatures(word, CHATTR_MAP);
    }

    /** Feature bits for FAT attributes (hidden 0x2, system 0x4, archive 0x20). */
    public static long fromFatAttrs(int attrs) {
        return toFeatures(attrs, FAT_MAP);
    }

    /** FAT attributes for the FAT feature bits of {@code word}. */
    public static int toFatAttrs(long word) {
        return (int) fromFeatures(word, FAT_MAP);
    }

    /** Rows of the tables are {feature bit, file system bit}. */
    private static long toFeatures(long fsBits, long[][] table) {
        long out = 0;
        for (long[] row : table) {
            if ((fsBits & row[1]) != 0) {
                out |= row[0];
            }
        }
        return out;
    }

    private static long fromFeatures(long word, long[][] table) {
        long out = 0;
        for (long[] row : table) {
            if ((word & row[0]) != 0) {
                out |= row[1];
            }
        }
        return out;
    }

    private static String explainDenormal(long w) {
        List<String> why = new ArrayList<>();
        if ((w & UIDS) == UIDS) {
            why.add("both 16bit-uids and 32bit-uids");
        }
        if (Long.bitCount(w & TIME) > 1) {
            why.add("more than one time granularity");
        }
        if ((w & WITH_PERMISSIONS) != 0 && (w & WITH_READ_ONLY) != 0) {
            why.add("permissions with read-only");
        }
        if ((w & WITH_ACL) != 0 && (w & (WITH_PERMISSIONS | WITH_READ_ONLY)) != 0) {
            why.add("acl with permissions or read-only");
        }
        if ((w & WITH_ACL) != 0 && (w & (UIDS | WITH_USER_NAMES)) == 0) {
            why.add("acl without uids or user names");
        }
        if ((w & EXCLUDE_NODUMP) != 0 && (w & WITH_FLAG_NODUMP) != 0) {
            why.add("flag-nodump with exclude-nodump");
        }
        if ((w & WITH_SUBVOLUME_RO) != 0 && (w & WITH_SUBVOLUME) == 0) {
            why.add("subvolume-ro without subvolume");
        }
        return String.join(", ", why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureFlags f && f.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("0x%016x", value);
    }

    /**
     * What a command line asks for, before it becomes a word: casync's {@code --with=} and
     * {@code --without=} (each an OR of names), {@code --exclude-nodump=}, {@code
     * --exclude-submounts=} and {@code --exclude-file=}. The digest comes from {@code --digest=}.
     *
     * @param with OR of the {@code --with=} values; 0 when none was given
     * @param without OR of the {@code --without=} values
     */
    public record Selection(
            long with, long without, boolean excludeNodump, boolean excludeSubmounts, boolean excludeFile) {
        /** casync's defaults: no --with/--without, nodump files and .caexclude honoured, submounts included. */
        public static final Selection DEFAULT = new Selection(0, 0, true, false, true);

        public Selection {
            if (((with | without) & ~WITH_MASK) != 0) {
                throw new IllegalArgumentException(
                        String.format("not a --with/--without bit: 0x%x", (with | without) & ~WITH_MASK));
            }
        }

        /** Adds {@code --with=NAME} for each name, as casync ORs repeated options. */
        public Selection with(List<String> names) {
            long w = with;
            for (String n : names) {
                w |= parseName(n);
            }
            return new Selection(w, without, excludeNodump, excludeSubmounts, excludeFile);
        }

        /** Adds {@code --without=NAME} for each name. */
        public Selection without(List<String> names) {
            long w = without;
            for (String n : names) {
                w |= parseName(n);
            }
            return new Selection(with, w, excludeNodump, excludeSubmounts, excludeFile);
        }

        public Selection withExcludeNodump(boolean b) {
            return new Selection(with, without, b, excludeSubmounts, excludeFile);
        }

        public Selection withExcludeSubmounts(boolean b) {
            return new Selection(with, without, excludeNodump, b, excludeFile);
        }

        public Selection withExcludeFile(boolean b) {
            return new Selection(with, without, excludeNodump, excludeSubmounts, b);
        }

        /**
         * The word casync builds: {@code (with, or defaultWith when no --with was given) & ~without},
         * the exclusion bits and the digest bit added, then normalized.
         *
         * @param defaultWith {@link #BLOB_DEFAULT_WITH} for blobs, {@link #ARCHIVE_DEFAULT_WITH} for directory archives
         */
        public FeatureFlags resolve(long defaultWith, DigestAlgorithm digest) {
            long f = (with == 0 ? defaultWith : with) & ~without;
            if (excludeNodump) {
                f |= EXCLUDE_NODUMP;
            }
            if (excludeSubmounts) {
                f |= EXCLUDE_SUBMOUNTS;
            }
            if (excludeFile) {
                f |= EXCLUDE_FILE;
            }
            if (digest == DigestAlgorithm.SHA512_256) {
                f |= SHA512_256;
            }
            return of(f);
        }
    }
}
