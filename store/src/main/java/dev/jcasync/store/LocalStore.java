package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A casync chunk store directory: {@code <root>/<4 hex>/<id>.cacnk} (compressed) or
 * {@code <root>/<4 hex>/<id>} (raw), as {@link ChunkLayout} names them. Writes go to a temporary
 * file in the prefix directory and are renamed into place, so a chunk name never points at a
 * partial file, whatever runs concurrently. Maintainable: {@link PruneProtocol} has the rules
 * that let a prune run beside writers.
 */
public final class LocalStore implements MaintainableStore {
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<?> READ_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--"));

    private final Path root;

    public LocalStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The file that holds chunk {@code id} in the given form (whether or not it exists). */
    public Path file(ChunkId id, boolean compressed) {
        return root.resolve(id.prefix()).resolve(ChunkLayout.fileName(id, compressed));
    }

    public Path compressedPath(ChunkId id) {
        return file(id, true);
    }

    public Path rawPath(ChunkId id) {
        return file(id, false);
    }

    /** Where a listed file is. */
    public Path path(StoreFile file) {
        return root.resolve(file.name());
    }

    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        return get(id, -1);
    }

    /**
     * The chunk's file, if one that can hold a chunk of {@code size} bytes is there. The compressed
     * form first: it is what stores hold (casync tries the raw form first; when both exist they hold
     * the same chunk). A bad entry in one form ({@link ChunkFileReader}) is reported only if the
     * other form is not there either.
     */
    @Override
    public Optional<ChunkFile> get(ChunkId id, int size) throws IOException {
        CorruptChunkException bad = null;
        for (boolean compressed : new boolean[] {true, false}) {
            try {
                ChunkFile file = ChunkFileReader.read(file(id, compressed), compressed, id, size, location());
                if (file != null) {
                    return Optional.of(file);
                }
            } catch (CorruptChunkException e) {
                bad = bad == null ? e : bad;
            }
        }
        if (bad != null) {
            throw bad;
        }
        return Optional.empty();
    }

    @Override
    public boolean has(ChunkId id) {
        return isChunkFile(compressedPath(id), true) || isChunkFile(rawPath(id), false);
    }

    /**
     * A non-empty regular file, not a symlink (casync's known-missing mark), no larger than any chunk
     * file ({@link ChunkFileReader#usableSize}). An empty file is what a power cut can leave of a
     * chunk written just before it (the rename reached the disk, the data not yet); no chunk file is
     * empty, so it counts as missing and the next writer replaces it, as it does an oversized one.
     * (Reading an empty one still reports it, as a corrupt chunk naming this store.)
     */
    static boolean isChunkFile(Path p, boolean compressed) {
        return ChunkFileReader.usableSize(p, compressed, -1) > 0;
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        for (boolean compressed : new boolean[] {true, false}) {
            long size = ChunkFileReader.usableSize(file(id, compressed), compressed, -1);
            if (size > 0) {
                return size;
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

    @Override
    public void write(ChunkId id, ChunkFile file) throws IOException {
        Path target = file(id, file.compressed());
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

    /** A fresh temporary name beside {@code file} (see {@link ChunkLayout#tempName}). */
    static Path tempBeside(Path file) {
        return file.resolveSibling(ChunkLayout.tempName(file.getFileName().toString()));
    }

    // ---- Maintenance: listing, marking in use, deleting ----

    /**
     * Every chunk-named file in the prefix directories ({@code <4 hex>/}), in no particular order.
     * Symbolic links (casync's known-missing marks), temporary files and other names are left out.
     * The stream must be closed.
     */
    @Override
    public Stream<StoreFile> files() throws IOException {
        return prefixDirectoryEntries()
                .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .map(p -> ChunkLayout.parse(p.getParent().getFileName() + "/" + p.getFileName()))
                .filter(Objects::nonNull);
    }

    /**
     * Temporary files of chunk writers in the prefix directories ({@link ChunkLayout#isTempName}).
     * The stream must be closed.
     */
    public Stream<Path> tempFiles() throws IOException {
        return prefixDirectoryEntries()
                .filter(p -> ChunkLayout.isTempName(p.getFileName().toString()));
    }

    private Stream<Path> prefixDirectoryEntries() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("store " + root + ": no such directory");
        }
        return Files.list(root)
                .filter(d -> ChunkLayout.isPrefixDirectory(d.getFileName().toString())
                        && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS))
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

    /** The listed file, read under {@link ChunkFileReader}'s rules for a chunk of unknown size. */
    @Override
    public Optional<ChunkFile> read(StoreFile file) throws IOException {
        return Optional.ofNullable(
                ChunkFileReader.read(path(file), file.compressed(), file.id(), -1, location() + "/" + file.name()));
    }

    /**
     * Chunk-named entries that are not regular files (symbolic links, directories, FIFOs, devices):
     * {@link #files} leaves them out and no reader opens them, but a verify reports them.
     */
    @Override
    public Stream<StoreFile> strayEntries() throws IOException {
        return prefixDirectoryEntries()
                .filter(p -> !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                .map(p -> ChunkLayout.parse(p.getParent().getFileName() + "/" + p.getFileName()))
                .filter(Objects::nonNull);
    }

    /** What is wrong with a listed entry before it is read (see {@link ChunkFileReader#problem}), or null. */
    @Override
    public String problem(StoreFile file) throws IOException {
        return ChunkFileReader.problem(path(file), file.compressed());
    }

    @Override
    public long size(StoreFile file) throws IOException {
        try {
            return Files.size(path(file));
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public boolean remove(StoreFile file) throws IOException {
        return Files.deleteIfExists(path(file));
    }

    /**
     * Marks the chunk as in use: sets the modification time of its files to now. Returns false if
     * the store does not hold the chunk. A file this process may not re-time (another owner's) is
     * left as it is.
     */
    @Override
    public boolean touch(ChunkId id) throws IOException {
        return PruneProtocol.touch(List.of(compressedPath(id), rawPath(id)));
    }

    /** The current time by the store's file system: the modification time of a new file. */
    @Override
    public Instant now() throws IOException {
        Path probe = Files.createTempFile(root, ".jcasync-clock-", ".tmp");
        try {
            return Files.getLastModifiedTime(probe).toInstant();
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** True if the file was last modified and changed (renamed in, or copied with its old time kept) before {@code cutoff}. */
    @Override
    public boolean idleSince(StoreFile file, Instant cutoff) throws IOException {
        return PruneProtocol.idleSince(path(file), FileTime.from(cutoff));
    }

    @Override
    public boolean removeIfIdleSince(StoreFile file, Instant cutoff) throws IOException {
        return PruneProtocol.removeIfIdleSince(path(file), FileTime.from(cutoff));
    }

    @Override
    public long removeTempFiles(Instant olderThan, boolean dryRun) throws IOException {
        long count = 0;
        try (Stream<Path> temps = tempFiles()) {
            for (Iterator<Path> it = temps.iterator(); it.hasNext(); ) {
                Path p = it.next();
                try {
                    if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                            .toInstant()
                            .isBefore(olderThan)) {
                        if (!dryRun) {
                            Files.delete(p);
                        }
                        count++;
                    }
                } catch (NoSuchFileException e) {
                    // its writer finished meanwhile
                }
            }
        }
        return count;
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
