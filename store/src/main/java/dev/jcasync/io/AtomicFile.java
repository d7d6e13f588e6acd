package dev.jcasync.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        Path temp = tempBeside(target);
        try {
            Files.write(temp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
