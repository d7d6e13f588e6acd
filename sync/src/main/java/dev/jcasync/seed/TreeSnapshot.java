package dev.jcasync.seed;

import dev.jcasync.archive.write.CatarEncoder;
import dev.jcasync.index.BlobIndex;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory tree as a seed for a .caidx: its catar stream, encoded with the target's feature
 * flags (so equal contents give equal chunks) into a temporary file that is then an ordinary blob
 * seed. The stream is captured once, before the extract starts: the tree may be the destination
 * itself, which the extract changes while the seed is still being read, and a copy taken first
 * cannot change under it. The file is deleted on {@link #close}.
 */
public final class TreeSnapshot implements Closeable {
    private final Path tree;
    private final Path file;

    private TreeSnapshot(Path tree, Path file) {
        this.tree = tree;
        this.file = file;
    }

    /** Encodes {@code tree} with {@code encoder} (the target's flags) into a new file in {@code tempDir}. */
    public static TreeSnapshot encode(Path tree, CatarEncoder encoder, Path tempDir) throws IOException {
        String base = tree.toAbsolutePath().normalize().getFileName() == null
                ? "root"
                : tree.toAbsolutePath().normalize().getFileName().toString();
        Path file = Files.createTempFile(tempDir, ".jcasync-seed-" + base + "-", ".catar");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            encoder.encode(tree.toString().getBytes(StandardCharsets.UTF_8), out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw new IOException("seed " + tree + ": " + e.getMessage(), e);
        }
        return new TreeSnapshot(tree, file);
    }

    /** The tree this stream was encoded from. */
    public Path tree() {
        return tree;
    }

    /** The captured stream, to be chunked with the target's parameters during the extract. */
    public Seed seed() {
        return Seed.unindexed(file);
    }

    /** The captured stream described by {@code index} (a .caidx made of the same tree): used without chunking, every range verified. */
    public Seed seed(BlobIndex index) {
        return new Seed(file, index);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
