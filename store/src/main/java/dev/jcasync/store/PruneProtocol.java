package dev.jcasync.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

/**
 * How a prune and writers share a {@link LocalStore} directory without a lock. A writer that
 * finds a chunk present {@link #touch}es it; a prune deletes only files idle since its cutoff, by
 * renaming each aside, checking its time again and putting it back if a touch came in between.
 * Whatever the interleaving, a chunk a writer reused after the cutoff survives.
 */
final class PruneProtocol {
    private PruneProtocol() {}

    /**
     * Sets the modification time of the first of {@code forms} that is a chunk file to now; false
     * if none is. A file this process may not re-time (another owner's) counts as present.
     */
    static boolean touch(List<Path> forms) throws IOException {
        FileTime now = FileTime.from(Instant.now());
        for (Path p : forms) {
            if (!LocalStore.isChunkFile(p, p.getFileName().toString().endsWith(".cacnk"))) {
                continue;
            }
            BasicFileAttributeView view =
                    Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            try {
                if (!view.readAttributes().isRegularFile()) {
                    continue; // a known-missing mark
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            try {
                view.setTimes(now, null, null);
                // A prune may have renamed the file aside, checked its old time and deleted it while the
                // new time was being set (the JDK sets it through a descriptor opened before). The file is
                // only known to be kept if it is still in place after the touch: then any later rename
                // aside sees the new time and is undone (removeIfIdleSince).
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return true; // one form present is enough (the compressed one is tried first)
                }
            } catch (NoSuchFileException e) {
                // just removed (by a prune): not present, so the writer stores it anew
            } catch (FileSystemException e) {
                return true; // another user's file: present, but it keeps its old time
            }
        }
        return false;
    }

    /**
     * True if the file was last modified and changed (renamed in, or copied with its old time
     * kept) before {@code cutoff}; false if it is younger, or gone.
     */
    static boolean idleSince(Path path, FileTime cutoff) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile()
                    && a.lastModifiedTime().compareTo(cutoff) < 0
                    && changeTime(path).compareTo(cutoff) < 0;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Deletes the file if it is {@link #idleSince idle since} {@code cutoff}. A writer that
     * {@link #touch}es the chunk at the same moment wins: the file is renamed aside first, its time
     * checked again, and put back if it was touched in between. Returns true if the file was deleted.
     */
    static boolean removeIfIdleSince(Path path, FileTime cutoff) throws IOException {
        if (!idleSince(path, cutoff)) {
            return false;
        }
        Path aside = LocalStore.tempBeside(path);
        try {
            Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        // A touch before the rename shows on the renamed file; one after it found no file, so its writer stores the
        // chunk anew.
        if (Files.getLastModifiedTime(aside, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0) {
            Files.delete(aside);
            return true;
        }
        putBack(aside, path);
        return false;
    }

    /** Renames {@code aside} back to {@code path} unless a writer has stored the chunk there meanwhile. */
    private static void putBack(Path aside, Path path) throws IOException {
        try {
            Files.createLink(path, aside); // refuses to replace, like casync's no-replace rename
        } catch (FileAlreadyExistsException e) {
            // a writer has stored a new copy meanwhile
        } catch (IOException | UnsupportedOperationException noHardLinks) {
            try {
                Files.move(aside, path); // also refuses to replace, though not atomically
                return;
            } catch (FileAlreadyExistsException e) {
                // a writer has stored a new copy meanwhile
            }
        }
        Files.deleteIfExists(aside);
    }

    /** The inode change time where the file system has one, else the modification time. */
    private static FileTime changeTime(Path path) throws IOException {
        try {
            return (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
