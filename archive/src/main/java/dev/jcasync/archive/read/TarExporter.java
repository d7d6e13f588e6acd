package dev.jcasync.archive.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Streams a catar archive out as a POSIX (PAX) tar, as GNU tar would write the extracted tree with
 * {@code tar --xattrs --format=posix -C DIR -c .}: paths {@code ./NAME}, nanosecond mtimes, owners
 * by number (and by name where the archive recorded one), {@code user.*}/{@code trusted.*} xattrs
 * and the SELinux label as {@code SCHILY.xattr.*} records, symlinks, devices and fifos.
 *
 * <p>A tar cannot hold sockets (GNU tar skips them too): they are left out with a warning. POSIX
 * ACLs, file capabilities and values that are not UTF-8 text are refused (PAX records are text
 * here); chattr flags, FAT attributes and project ids have no tar form and are not written. A catar
 * does not record hardlinks, so none are written.
 */
public final class TarExporter {
    private final Consumer<String> warn;

    public TarExporter(Consumer<String> warn) {
        this.warn = warn;
    }

    /** Reads the whole archive and writes the tar to {@code out} (finished, not closed). */
    public void export(CatarReader reader, String archive, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        CatarEvent e;
        while ((e = reader.next()) != null) {
            if (e.type() == CatarEvent.Type.LEAVE) {
                continue;
            }
            CatarNode n = e.node();
            String path = n.isRoot() ? "./" : "./" + text(n.path(), archive, n, "file name");
            if (n.kind() == CatarNode.Kind.SOCKET) {
                warn.accept(archive + ": " + path + ": a socket cannot be put in a tar, left out");
                continue;
            }
            if (n.hasAcl()) {
                throw new IOException(archive + ": " + path + " (offset " + n.entryOffset()
                        + "): POSIX ACLs cannot be written to a tar yet");
            }
            if (n.fcaps() != null) {
                throw new IOException(archive + ": " + path + " (offset " + n.entryOffset()
                        + "): file capabilities cannot be written to a tar yet");
            }
            TarArchiveEntry t = entry(n, path, archive);
            tar.putArchiveEntry(t);
            if (n.kind() == CatarNode.Kind.FILE) {
                InputStream in = reader.payload();
                byte[] buf = new byte[1 << 17];
                int r;
                while ((r = in.read(buf)) > 0) {
                    tar.write(buf, 0, r);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    private static TarArchiveEntry entry(CatarNode n, String path, String archive) throws IOException {
        long m = n.mtime();
        NanoEntry t;
        switch (n.kind()) {
            case DIRECTORY -> t = new NanoEntry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR, m);
            case FILE -> {
                t = new NanoEntry(path, TarConstants.LF_NORMAL, m);
                t.setSize(n.payloadSize());
            }
            case SYMLINK -> {
                t = new NanoEntry(path, TarConstants.LF_SYMLINK, m);
                t.setLinkName(text(n.symlinkTarget(), archive, n, "symlink target"));
            }
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                t = new NanoEntry(
                        path, n.kind() == CatarNode.Kind.BLOCK_DEVICE ? TarConstants.LF_BLK : TarConstants.LF_CHR, m);
                t.setDevMajor((int) n.major());
                t.setDevMinor((int) n.minor());
            }
            case FIFO -> t = new NanoEntry(path, TarConstants.LF_FIFO, m);
            default -> throw new IOException(archive + ": " + path + ": no tar form");
        }
        t.setMode((int) (n.mode() & 07777));
        t.setUserId(n.uid());
        t.setGroupId(n.gid());
        t.setUserName(n.user() == null ? "" : text(n.user(), archive, n, "user name"));
        t.setGroupName(n.group() == null ? "" : text(n.group(), archive, n, "group name"));
        Instant when = Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000_000L), Math.floorMod(m, 1_000_000_000L));
        t.setLastModifiedTime(FileTime.from(when));
        for (CatarNode.Xattr x : n.xattrs()) {
            t.addPaxHeader(
                    "SCHILY.xattr." + text(x.name(), archive, n, "xattr name"),
                    text(x.value(), archive, n, "value of an xattr"));
        }
        if (n.selinux() != null) {
            t.addPaxHeader("SCHILY.xattr.security.selinux", text(n.selinux(), archive, n, "SELinux label"));
        }
        return t;
    }

    /**
     * An entry whose PAX {@code mtime} keeps all nine digits: Commons Compress writes seven (100 ns),
     * and takes the entry's extra PAX records after its own, so the exact one is given there.
     */
    private static final class NanoEntry extends TarArchiveEntry {
        private final long mtimeNanos;

        NanoEntry(String name, byte type, long mtimeNanos) {
            super(name, type);
            this.mtimeNanos = mtimeNanos;
        }

        @Override
        public Map<String, String> getExtraPaxHeaders() {
            Map<String, String> extra = super.getExtraPaxHeaders();
            if (mtimeNanos % 1_000_000_000L == 0) {
                return extra;
            }
            Map<String, String> out = new HashMap<>(extra);
            out.put("mtime", BigDecimal.valueOf(mtimeNanos, 9).toPlainString());
            return out;
        }
    }

    /** Bytes as UTF-8 text, which PAX records need; anything else is refused, naming the node. */
    private static String text(byte[] b, String archive, CatarNode n, String what) throws IOException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(archive + ": offset " + n.entryOffset() + ": the " + what
                    + " is not UTF-8, which a tar written here cannot hold");
        }
    }
}
