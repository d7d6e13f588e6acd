package dev.jcasync.cli;

import dev.jcasync.archive.read.DirectoryExtractor;
import dev.jcasync.archive.write.CatarEncoder;
import dev.jcasync.archive.write.CatarListing;
import dev.jcasync.archive.write.CatarNode;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Directory trees as casync's commands see them: the feature-flag word of a directory archive, and
 * {@code list}, {@code mtree} and {@code digest} of a directory, which casync computes by encoding
 * the tree (docs/catar.md section 10).
 */
final class DirectoryArchive {
    private DirectoryArchive() {}

    /** The word casync uses for a directory archive with these options (docs/catar.md 8.3). */
    static FeatureFlags flags(FeatureFlagOptions features, CasyncOptions casync, DigestAlgorithm digest) {
        return features.selection(casync.exclusions()).resolve(FeatureFlags.ARCHIVE_DEFAULT_WITH, digest);
    }

    /**
     * An encoder with casync's {@code --uid-shift}/{@code --uid-range} applied: a number or yes for
     * the shift turns shifting on (yes: by 0), and then the range defaults to 65536; a range given
     * (yes: 65536, no: none) applies on its own too.
     */
    static CatarEncoder encoder(FeatureFlags flags, CasyncOptions casync) {
        long[] m = uidMapping(casync);
        return new CatarEncoder(flags).uidMapping(m[0], m[1]);
    }

    /** casync's uid shift and range, {shift, range}. */
    private static long[] uidMapping(CasyncOptions casync) {
        long shift = 0;
        boolean shifting = false;
        if (casync != null && casync.uidShift != null) {
            long n = Values.unsignedC(casync.uidShift); // a number first: casync takes 0 as a shift
            shifting = n >= 0 || Boolean.TRUE.equals(Values.YesNo.parse(casync.uidShift));
            shift = Math.max(0, n);
        }
        long range = shifting ? 0x10000L : 1L << 32;
        if (casync != null && casync.uidRange != null) {
            long n = Values.unsignedC(casync.uidRange);
            range = n >= 1 ? n : Boolean.TRUE.equals(Values.YesNo.parse(casync.uidRange)) ? 0x10000L : 1L << 32;
        }
        return new long[] {shift, range};
    }

    /**
     * How extract restores a tree, from casync's options: the features to restore ({@code --with}
     * names them, all by default; {@code --without} takes away), {@code --delete} (default yes),
     * {@code --undo-immutable} (default no), {@code --punch-holes} (default yes), the uid mapping.
     */
    static DirectoryExtractor.Options extractOptions(FeatureFlagOptions features, CasyncOptions casync) {
        FeatureFlags.Selection s = features.selection(FeatureFlags.Selection.DEFAULT);
        long mask = (s.with() == 0 ? FeatureFlags.WITH_MASK : s.with()) & ~s.without();
        long[] m = uidMapping(casync);
        return DirectoryExtractor.Options.defaults()
                .withMask(mask)
                .withDelete(!Boolean.FALSE.equals(casync.delete))
                .withUndoImmutable(Boolean.TRUE.equals(casync.undoImmutable))
                .withPunchHoles(!Boolean.FALSE.equals(casync.punchHoles))
                .withUidMapping(m[0], m[1]);
    }

    /** Whether {@code name} is a local directory (symlinks followed, as casync's open does). */
    static boolean isDirectory(String name) {
        try {
            return name != null && Files.isDirectory(Path.of(name));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Requires {@code name} to be a directory: one line naming it otherwise. */
    static void requireDirectory(String name) throws IOException {
        if (!isDirectory(name)) {
            throw new IOException(name
                    + (Files.exists(Path.of(name), LinkOption.NOFOLLOW_LINKS)
                            ? ": not a directory"
                            : ": No such file or directory"));
        }
    }

    /** casync's {@code list DIR}. */
    static void list(String dir, FeatureFlags flags, CasyncOptions casync, PrintWriter out) throws IOException {
        encoder(flags, casync)
                .listener(n -> out.println(CatarListing.listLine(n)))
                .encode(dir, OutputStream.nullOutputStream());
        out.flush();
    }

    /** casync's {@code mtree DIR}; {@code digestKey} follows the command line's --digest. */
    static void mtree(
            String dir, FeatureFlags flags, CasyncOptions casync, DigestAlgorithm commandLineDigest, PrintWriter out)
            throws IOException {
        String key = commandLineDigest == DigestAlgorithm.SHA256 ? "sha256digest" : "sha512256digest";
        long word = flags.value();
        encoder(flags, casync)
                .listener(new CatarEncoder.Listener() {
                    @Override
                    public void node(CatarNode n) {
                        out.println(CatarListing.mtreeLine(n, word, key));
                    }

                    @Override
                    public boolean wantsPayloadDigest() {
                        return true;
                    }
                })
                .encode(dir, OutputStream.nullOutputStream());
        out.flush();
    }

    /** Ends the encoding once the root is known ({@code stat} shows the root only). */
    private static final class RootSeen extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CatarNode root;

        RootSeen(CatarNode root) {
            super(null, null, false, false);
            this.root = root;
        }
    }

    /** casync's {@code stat DIR}: the root entry's metadata, as an archive of it would store it. */
    static void stat(String dir, FeatureFlags flags, CasyncOptions casync, PrintWriter out) throws IOException {
        CatarNode root;
        try {
            encoder(flags, casync)
                    .listener(n -> {
                        throw new RootSeen(n);
                    })
                    .encode(dir, OutputStream.nullOutputStream());
            throw new IOException(dir + ": no root entry");
        } catch (RootSeen seen) {
            root = seen.root;
        }
        long word = flags.value();
        boolean numeric = (word & FeatureFlags.UIDS) != 0;
        boolean names = (word & FeatureFlags.WITH_USER_NAMES) != 0;
        out.println("    File: .");
        out.println("    Mode: " + CatarListing.modeString(root.mode()));
        out.println("FileAttr: " + CatarListing.chattrString(root.flags()));
        if ((word & FeatureFlags.FAT_ATTRS) != 0) {
            out.println(" FATAttr: " + CatarListing.fatString(root.flags()));
        }
        out.println("  Offset: 0");
        if ((word & FeatureFlags.TIME) != 0) {
            long t = root.mtime();
            LocalDateTime local = LocalDateTime.ofInstant(
                    Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L)), ZoneId.systemDefault());
            out.println("    Time: " + local.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    + String.format(".%09d", Math.floorMod(t, 1_000_000_000L)));
        }
        if (numeric || names) {
            out.println("    User: " + owner(root.userName(), root.uid(), numeric, names));
            out.println("   Group: " + owner(root.groupName(), root.gid(), numeric, names));
        }
        if ((word & FeatureFlags.WITH_QUOTA_PROJID) != 0) {
            out.println("  ProjID: " + root.projectId());
        }
        out.flush();
    }

    static String owner(byte[] name, long id, boolean numeric, boolean names) {
        String n = null;
        if (names) {
            n = name != null ? CatarListing.escape(name) : id == 0 ? "root" : null;
        }
        if (n == null) {
            return Long.toString(id);
        }
        return numeric ? n + " (" + id + ")" : n;
    }

    /** casync's {@code digest DIR}: the digest of the archive {@code make} would write. */
    static byte[] digest(String dir, FeatureFlags flags, CasyncOptions casync) throws IOException {
        return encoder(flags, casync)
                .encode(dir, OutputStream.nullOutputStream())
                .digest();
    }
}
