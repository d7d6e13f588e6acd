package dev.jcasync.io;

import java.io.IOException;
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

    /** Moves the finished temporary file into place, replacing what was there. */
    public static void commit(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
