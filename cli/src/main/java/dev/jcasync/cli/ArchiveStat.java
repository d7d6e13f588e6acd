package dev.jcasync.cli;

import dev.jcasync.archive.CatarFormat;
import dev.jcasync.archive.read.CatarEvent;
import dev.jcasync.archive.read.CatarNode;
import dev.jcasync.archive.read.CatarReader;
import dev.jcasync.archive.write.CatarListing;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * casync's {@code stat X.catar|X.caidx [PATH]} (docs/catar.md 15): reads the archive up to PATH
 * (default: the root) and prints its metadata, the payload digest of a file and the HLDigest of
 * any non-directory, the digest of its raw records from ENTRY on.
 */
final class ArchiveStat {
    private ArchiveStat() {}

    /** casync's seek path: components split at '/', empty ones dropped ("." is a name). */
    static byte[] seekPath(String path) {
        List<String> parts = new ArrayList<>();
        if (path != null) {
            for (String p : path.split("/")) {
                if (!p.isEmpty()) {
                    parts.add(p);
                }
            }
        }
        return String.join("/", parts).getBytes(StandardCharsets.UTF_8);
    }

    static void stat(ArchiveInput in, String path, PrintWriter out) throws IOException {
        byte[] want = seekPath(path);
        CatarReader reader = in.reader;
        RawWindow window = in.window;
        CatarEvent e;
        while (true) {
            window.discardBefore(reader.position());
            e = reader.next();
            if (e == null) {
                throw new IOException(in.name + ": " + new String(want, StandardCharsets.UTF_8)
                        + ": Seek path not available in archive.");
            }
            if (e.type() != CatarEvent.Type.LEAVE && Arrays.equals(e.node().path(), want)) {
                break;
            }
            if (e.node().kind() == CatarNode.Kind.FILE && e.type() == CatarEvent.Type.NODE) {
                drain(reader.payload(), null, window, reader);
            }
        }
        CatarNode n = e.node();
        if (n.hasAcl() || n.selinux() != null || n.fcaps() != null || n.quotaProjectId() != 0) {
            throw new IOException(
                    in.name + ": offset " + n.entryOffset()
                            + ": stat of a node with ACLs, an SELinux label, file capabilities or a project id is not supported yet");
        }
        long word = reader.features();
        boolean file = n.kind() == CatarNode.Kind.FILE;
        boolean dir = n.kind() == CatarNode.Kind.DIRECTORY;
        out.println("    File: " + (n.isRoot() ? "." : CatarFormat.escape(n.path())));
        out.println("    Mode: " + CatarListing.modeString(n.mode()));
        if (file || dir) {
            out.println("FileAttr: " + CatarListing.chattrString(n.flags()));
            out.println(" FATAttr: " + CatarListing.fatString(n.flags()));
        }
        out.println("  Offset: " + n.entryOffset());
        if ((word & FeatureFlags.TIME) != 0) {
            long t = n.mtime();
            LocalDateTime local = LocalDateTime.ofInstant(
                    Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L)), ZoneId.systemDefault());
            out.println("    Time: " + local.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                    + String.format(".%09d", Math.floorMod(t, 1_000_000_000L)));
        }
        if (file) {
            out.println("    Size: " + n.payloadSize());
        }
        boolean numeric = (word & FeatureFlags.UIDS) != 0;
        boolean names = (word & FeatureFlags.WITH_USER_NAMES) != 0;
        if (numeric || names) {
            out.println("    User: " + DirectoryArchive.owner(n.user(), n.uid(), numeric, names));
            out.println("   Group: " + DirectoryArchive.owner(n.group(), n.gid(), numeric, names));
        }
        for (CatarNode.Xattr x : n.xattrs()) {
            out.println("   XAttr: " + CatarFormat.escape(x.name()) + " → " + CatarFormat.escape(x.value()));
        }
        if (n.kind() == CatarNode.Kind.SYMLINK) {
            out.println("  Target: " + CatarFormat.escape(n.symlinkTarget()));
        }
        if (n.kind() == CatarNode.Kind.BLOCK_DEVICE || n.kind() == CatarNode.Kind.CHAR_DEVICE) {
            out.println("  Device: " + n.major() + ":" + n.minor());
        }
        if (!dir) {
            DigestAlgorithm algorithm =
                    (word & FeatureFlags.SHA512_256) != 0 ? DigestAlgorithm.SHA512_256 : DigestAlgorithm.SHA256;
            MessageDigest hl = algorithm.newDigest();
            hl.update(records(window.from(n.entryOffset()), in.name, n.entryOffset()));
            if (file) {
                MessageDigest payload = algorithm.newDigest();
                drain(reader.payload(), new MessageDigest[] {payload, hl}, window, reader);
                out.println("  Digest: " + HexFormat.of().formatHex(payload.digest()));
            }
            out.println("HLDigest: " + HexFormat.of().formatHex(hl.digest()));
        }
        out.flush();
    }

    /** The node's records from its ENTRY to its body (a PAYLOAD's header only), or to the next FILENAME/GOODBYE. */
    private static byte[] records(byte[] raw, String archive, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        boolean first = true;
        while (at + 16 <= raw.length) {
            long size = b.getLong(at);
            long type = b.getLong(at + 8);
            if (!first && (type == CatarFormat.FILENAME || type == CatarFormat.GOODBYE)) {
                return Arrays.copyOf(raw, at);
            }
            first = false;
            if (type == CatarFormat.PAYLOAD) {
                return Arrays.copyOf(raw, at + 16);
            }
            if (size < 16 || at + size > raw.length) {
                break;
            }
            at += (int) size;
            if (type == CatarFormat.SYMLINK || type == CatarFormat.DEVICE) {
                return Arrays.copyOf(raw, at);
            }
        }
        throw new IOException(archive + ": offset " + offset + ": the node's records could not be re-read");
    }

    private static void drain(InputStream payload, MessageDigest[] into, RawWindow window, CatarReader reader)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = payload.read(buf)) > 0) {
            if (into != null) {
                for (MessageDigest md : into) {
                    md.update(buf, 0, r);
                }
            }
            window.discardBefore(reader.position());
        }
    }
}
