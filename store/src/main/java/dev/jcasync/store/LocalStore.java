package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A casync chunk store directory: {@code <root>/<4 hex>/<id>.cacnk} (compressed) or
 * {@code <root>/<4 hex>/<id>} (raw). Writes go to a temporary file in the prefix directory and are
 * renamed into place, so a chunk name never points at a partial file, whatever runs concurrently.
 */
public final class LocalStore implements ChunkStore {
    public static final String COMPRESSED_SUFFIX = ".cacnk";
    private static final java.util.Set<StandardOpenOption> CREATE_NEW = java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<?> READ_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--"));
    private static final Pattern PREFIX_DIR = Pattern.compile("[0-9a-f]{4}");

    private final Path root;

    public LocalStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path compressedPath(ChunkId id) {
        return root.resolve(id.prefix()).resolve(id.toHex() + COMPRESSED_SUFFIX);
    }

    public Path rawPath(ChunkId id) {
        return root.resolve(id.prefix()).resolve(id.toHex());
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        // The compressed form first: it is what stores hold, and a failed open costs an exception.
        // (casync tries the raw form first; when both exist they hold the same chunk.)
        // Checked first without exceptions: a cache store in front of a remote one mostly misses.
        Path compressed = compressedPath(id);
        byte[] bytes = isRegularFile(compressed) ? readIfRegular(compressed) : null;
        if (bytes != null) {
            return Optional.of(new ChunkFile(bytes, true));
        }
        Path raw = rawPath(id);
        bytes = isRegularFile(raw) ? readIfRegular(raw) : null;
        return bytes == null ? Optional.empty() : Optional.of(new ChunkFile(bytes, false));
    }

    /** The file's bytes, or null if it is absent or a symlink (casync's mark for a known-missing chunk). */
    private static byte[] readIfRegular(Path path) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(path + ": chunk file too large (" + size + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read to the end
            }
            if (buf.hasRemaining()) {
                throw new IOException(path + ": chunk file shrank while reading");
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // With NOFOLLOW_LINKS a symlink fails to open (ELOOP); casync uses one to mark a known-missing chunk.
            if (Files.isSymbolicLink(path)) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public boolean has(ChunkId id) {
        return isChunkFile(compressedPath(id)) || isChunkFile(rawPath(id));
    }

    /**
     * A non-empty regular file, not a symlink (casync's known-missing mark). java.io.File answers
     * "absent" without an exception, which matters when most lookups miss (a make into a new store).
     * An empty file is what a power cut can leave of a chunk written just before it (the rename
     * reached the disk, the data not yet); no chunk file is empty, so it counts as missing and the
     * next writer replaces it. (Reading it still reports it, as a corrupt chunk naming this store.)
     */
    private static boolean isChunkFile(Path p) {
        return p.toFile().length() > 0 && isRegularFile(p);
    }

    /** A regular file, not a symlink: what {@link #get} reads (an empty one is then reported as corrupt). */
    private static boolean isRegularFile(Path p) {
        return p.toFile().isFile() && !Files.isSymbolicLink(p);
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        for (Path p : new Path[] {compressedPath(id), rawPath(id)}) {
            if (!isChunkFile(p)) {
                continue;
            }
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(p,
                        java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    return a.size();
                }
            } catch (NoSuchFileException e) {
                // try the other form
            }
        }
        return -1;
    }

    @Override
    public void put(ChunkId id, ChunkFile file) throws IOException {
        if (!has(id)) {
            write(id, file);
        }
    }

    /** Writes the chunk file, whether or not the store holds it (for a writer that has just looked). */
    void write(ChunkId id, ChunkFile file) throws IOException {
        Path target = file.compressed() ? compressedPath(id) : rawPath(id);
        Path dir = target.getParent();
        if (!dir.toFile().isDirectory()) { // createDirectories throws (and catches) when it exists
            Files.createDirectories(dir);
        }
        Path tmp = tempBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, CREATE_NEW, READ_ONLY)) {
                ByteBuffer buf = ByteBuffer.wrap(file.bytes());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            // rename(2) is atomic; replacing a concurrent writer's file is harmless, it holds the same chunk.
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof AccessDeniedException) {
                throw new IOException("store " + root + ": cannot write chunk " + id + ": permission denied", e);
            }
            throw e;
        }
    }

    /** A fresh temporary name beside {@code file}, in casync's pattern {@code <name>.<random hex>.tmp}. */
    private static Path tempBeside(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(COMPRESSED_SUFFIX) ? name.substring(0, name.length() - COMPRESSED_SUFFIX.length()) : name;
        return file.resolveSibling(base + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    // ---- Maintenance: listing, marking in use, deleting ----

    /**
     * Every chunk-named file in the prefix directories ({@code <4 hex>/}), in no particular order.
     * Symbolic links (casync's known-missing marks), temporary files and other names are left out.
     * The stream must be closed.
     */
    public Stream<StoreFile> files() throws IOException {
        return prefixDirectoryEntries()
                .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .map(StoreFile::parse)
                .filter(Objects::nonNull);
    }

    /**
     * Temporary files of chunk writers in the prefix directories: casync's and jcasync's
     * {@code <id>.<hex>.tmp}, desync's {@code .tmp-cacnk<random>}. The stream must be closed.
     */
    public Stream<Path> tempFiles() throws IOException {
        return prefixDirectoryEntries().filter(p -> {
            String name = p.getFileName().toString();
            return name.endsWith(".tmp") || name.startsWith(".tmp-cacnk");
        });
    }

    private Stream<Path> prefixDirectoryEntries() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("store " + root + ": no such directory");
        }
        return Files.list(root)
                .filter(d -> PREFIX_DIR.matcher(d.getFileName().toString()).matches() && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS))
                .flatMap(LocalStore::listOrEmpty);
    }

    private static Stream<Path> listOrEmpty(Path dir) {
        try {
            return Files.list(dir);
        } catch (NoSuchFileException e) {
            return Stream.empty(); // removed meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Marks the chunk as in use: sets the modification time of its files to now, so that a prune
     * that started earlier keeps it (as git freshens objects it reuses). Returns false if the store
     * does not hold the chunk. A file this process may not re-time (another owner's) is left as it is.
     */
    public boolean touch(ChunkId id) throws IOException {
        FileTime now = FileTime.from(Instant.now());
        for (Path p : List.of(compressedPath(id), rawPath(id))) {
            if (!isChunkFile(p)) {
                continue;
            }
            BasicFileAttributeView view = Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
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
     * The current time by the store's file system: the modification time of a new file, which is
     * what the times of chunk files written from now on are compared with.
     */
    public FileTime fileSystemNow() throws IOException {
        Path probe = Files.createTempFile(root, ".jcasync-clock-", ".tmp");
        try {
            return Files.getLastModifiedTime(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * True if the file was last modified and changed (renamed in, or copied with its old time
     * kept) before {@code cutoff}; false if it is younger, or gone.
     */
    public boolean idleSince(StoreFile file, FileTime cutoff) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() && a.lastModifiedTime().compareTo(cutoff) < 0 && changeTime(file.path()).compareTo(cutoff) < 0;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Deletes a chunk file if it is {@link #idleSince idle since} {@code cutoff}. A writer that
     * {@link #touch}es the chunk at the same moment wins: the file is renamed aside first, its time
     * checked again, and put back if it was touched in between. Returns true if the file was deleted.
     */
    public boolean removeIfIdleSince(StoreFile file, FileTime cutoff) throws IOException {
        Path path = file.path();
        if (!idleSince(file, cutoff)) {
            return false;
        }
        Path aside = tempBeside(path);
        try {
            Files.move(path, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        // A touch before the rename shows on the renamed file; one after it found no file, so its writer stores the chunk anew.
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

    /** Deletes one file of the store (a corrupt or misplaced chunk file); false if it was gone already. */
    public boolean remove(StoreFile file) throws IOException {
        return Files.deleteIfExists(file.path());
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public String toString() {
        return "local store " + root;
    }
}
