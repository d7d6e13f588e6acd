package dev.jcasync.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temporary files ({@code .#<name><16 hex>}) that a writer killed mid-way left beside its target.
 * A live writer holds a lock on its temporary file, so only abandoned ones can be taken over:
 * a new run continues from what the dead one had written instead of starting again.
 */
public final class Leftovers {
    private Leftovers() {}

    /** Locks a temporary file this process is writing, so that no other run takes it over. */
    public static FileLock lock(FileChannel ownTemp) throws IOException {
        return ownTemp.tryLock();
    }

    /**
     * Takes over the newest abandoned temporary file of {@code target}, renaming it to {@code temp}:
     * open for reading and writing, and locked for as long as the channel is open. Null if none.
     */
    public static FileChannel claim(Path target, Path temp) throws IOException {
        for (Path candidate : candidates(target)) {
            FileChannel channel;
            try {
                channel = FileChannel.open(candidate, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException gone) {
                continue;
            }
            FileLock lock = null;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException mine) {
                // a writer in this very process holds it
            }
            if (lock == null) {
                channel.close(); // a live writer's file
                continue;
            }
            try {
                Files.move(candidate, temp, StandardCopyOption.ATOMIC_MOVE);
                return channel;
            } catch (IOException e) {
                channel.close(); // taken by another run between listing and locking
            }
        }
        return null;
    }

    /**
     * The temporary file {@link #claim} would take over now (the newest no live writer holds), or
     * null; nothing is renamed or kept locked. For a dry run, which predicts what a run would reuse.
     */
    public static Path newest(Path target) throws IOException {
        for (Path candidate : candidates(target)) {
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ)) {
                FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
                if (lock != null) {
                    lock.release();
                    return candidate;
                }
            } catch (IOException | OverlappingFileLockException busyOrGone) {
                // a live writer's file (here or in another process), or gone
            }
        }
        return null;
    }

    /** The temporary files beside {@code target}, newest first. */
    private static List<Path> candidates(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Pattern name = Pattern.compile(Pattern.quote(".#" + abs.getFileName()) + "[0-9a-f]{16}");
        try (Stream<Path> list = Files.list(abs.getParent())) {
            return list.filter(p -> name.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(Leftovers::modified).reversed())
                    .toList();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
