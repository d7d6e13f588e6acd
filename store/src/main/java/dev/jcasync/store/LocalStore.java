package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A casync chunk store directory: {@code <root>/<4 hex>/<id>.cacnk} (compressed) or
 * {@code <root>/<4 hex>/<id>} (raw). Writes go to a temporary file in the prefix directory and are
 * renamed into place, so a chunk name never points at a partial file, whatever runs concurrently.
 */
public final class LocalStore implements ChunkStore {
    public static final String COMPRESSED_SUFFIX = ".cacnk";
    private static final FileAttribute<?> READ_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--"));

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
        // casync's order: the raw form first, then the compressed one.
        byte[] bytes = readIfRegular(rawPath(id));
        if (bytes != null) {
            return Optional.of(new ChunkFile(bytes, false));
        }
        bytes = readIfRegular(compressedPath(id));
        return bytes == null ? Optional.empty() : Optional.of(new ChunkFile(bytes, true));
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
        return Files.isRegularFile(compressedPath(id), LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(rawPath(id), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long sizeOf(ChunkId id) throws IOException {
        for (Path p : new Path[] {compressedPath(id), rawPath(id)}) {
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
        if (has(id)) {
            return;
        }
        Path target = file.compressed() ? compressedPath(id) : rawPath(id);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(id.toHex() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), READ_ONLY)) {
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

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public String toString() {
        return "local store " + root;
    }
}
