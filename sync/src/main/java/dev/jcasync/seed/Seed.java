package dev.jcasync.seed;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local file that probably holds chunks of the target (the previous image, the other A/B
 * partition). With an index, the index is a hint only: every range is verified against its id
 * when it is read, so a seed that changed costs the chunks it got wrong, nothing more. Without
 * one ({@code index == null}), the extract chunks the file with the target's parameters and copies
 * what it needs in that same pass.
 */
public record Seed(Path file, BlobIndex index) {
    /** A seed described by an existing index (for example {@code image.caibx} beside {@code image}). */
    public static Seed indexed(Path indexFile, Path file) throws IOException {
        return new Seed(file, IndexReader.read(indexFile));
    }

    /** A seed to be chunked during the extract. */
    public static Seed unindexed(Path file) {
        return new Seed(file, null);
    }

    public boolean isIndexed() {
        return index != null;
    }

    /**
     * Refuses at once what cannot be a seed: a FIFO, socket or character device (reading one
     * blocks, or never ends, and it cannot be read at an offset) or a directory. Regular files and
     * block devices (the other A/B partition) pass; links are followed.
     */
    public static Path requireSeedable(Path file) throws IOException {
        Object mode;
        try {
            mode = Files.getAttribute(file, "unix:mode");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            mode = null; // no unix view: the regular-file test below only
        }
        String what = null;
        if (mode instanceof Integer m) {
            what = switch (m & S_IFMT) {
                case S_IFREG, S_IFBLK -> null;
                case S_IFIFO -> "a FIFO";
                case S_IFCHR -> "a character device";
                case S_IFSOCK -> "a socket";
                case S_IFDIR -> "a directory";
                default -> "not a file";
            };
        } else if (!Files.isRegularFile(file)) {
            what = "not a regular file";
        }
        if (what != null) {
            throw new IOException("seed " + file + ": is " + what + ", not a file or block device; refused");
        }
        return file;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
}
