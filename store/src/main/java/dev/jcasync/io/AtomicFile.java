package dev.jcasync.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writing a file so that its final name only ever shows complete content: write a temporary
 * {@code .#<name><16 hex>} beside it (casync's naming), then rename it over the target.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /** A fresh temporary path in the target's directory. */
    public static Path tempBeside(Path target) {
        Path abs = target.toAbsolutePath();
        String hex = String.format("%016x", ThreadLocalRandom.current().nextLong());
        return abs.resolveSibling(".#" + abs.getFileName() + hex);
    }

    /**
     * Moves the finished temporary file into place, replacing what was there, durably: its data
     * reaches the disk before the rename, and the rename before this returns. Without the first
     * sync a power cut shortly after the rename can leave the new name on an empty or partial file
     * (file systems may write the rename before the data); casync does not sync, a device that
     * loses power after an update must not boot a torn image.
     */
    public static void commit(Path temp, Path target) throws IOException {
        commit(temp, target, true);
    }

    /** {@link #commit(Path, Path)}, or without the syncs (atomic for other processes, not across a power cut). */
    public static void commit(Path temp, Path target, boolean sync) throws IOException {
        if (sync) {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Makes the directory's entries (a rename into it) durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory (EINVAL); the rename itself has happened.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, null);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically; with {@code keepOnly} the file's permission
     * bits are cut down to those (casync gives an index the input's bits masked by 0666).
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> keepOnly) throws IOException {
        Path temp = tempBeside(target);
        try {
            Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            if (keepOnly != null) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(temp);
                perms.retainAll(keepOnly);
                Files.setPosixFilePermissions(temp, perms);
            }
            commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
