package dev.jcasync.cli;

import dev.jcasync.archive.read.CatarEvent;
import dev.jcasync.archive.read.CatarNode;
import dev.jcasync.archive.read.CatarPrinter;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.FeatureFlags;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.util.HexFormat;

/** list, mtree and digest of a directory archive (.catar, .caidx), printing what casync prints (docs/catar.md 10). */
final class ArchiveCommands {
    private ArchiveCommands() {}

    /** casync list: a mode string and the path of every node, in archive order. */
    static void list(ArchiveInput in, PrintWriter out) throws IOException {
        for (CatarEvent e = in.reader.next(); e != null; e = in.reader.next()) {
            if (e.type() != CatarEvent.Type.LEAVE) {
                out.print(CatarPrinter.listLine(e.node()));
                out.print('\n');
            }
        }
        out.flush();
    }

    /** casync mtree; {@code key} is the digest's key, from the command line's --digest (as casync). */
    static void mtree(ArchiveInput in, PrintWriter out, DigestAlgorithm key) throws IOException {
        String keyName = key == DigestAlgorithm.SHA256 ? "sha256digest" : "sha512256digest";
        byte[] buf = new byte[1 << 16];
        for (CatarEvent e = in.reader.next(); e != null; e = in.reader.next()) {
            if (e.type() == CatarEvent.Type.LEAVE) {
                continue;
            }
            CatarNode node = e.node();
            String hex = null;
            if (node.kind() == CatarNode.Kind.FILE) {
                MessageDigest md = ((node.features() & FeatureFlags.SHA512_256) != 0
                                ? DigestAlgorithm.SHA512_256
                                : DigestAlgorithm.SHA256)
                        .newDigest();
                InputStream payload = in.reader.payload();
                for (int n; (n = payload.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
                hex = HexFormat.of().formatHex(md.digest());
            }
            out.print(CatarPrinter.mtreeLine(node, keyName, hex));
            out.print('\n');
        }
        out.flush();
    }

    /** casync digest: the archive read (and checked) to the end; its digest. */
    static String digest(ArchiveInput in) throws IOException {
        while (in.reader.next() != null) {
            // every record checked; payloads skipped (and hashed) by the reader
        }
        return in.digestHex();
    }
}
