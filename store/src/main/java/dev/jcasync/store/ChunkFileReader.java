package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.CorruptChunkException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one rule for what may sit at a chunk's name on a local disk, which may hold anything. A
 * file is looked at ({@code lstat}) before it is opened: a symbolic link is casync's mark for a
 * known-missing chunk (absent); a directory, FIFO, socket or device is never opened (a FIFO would
 * block the reader); a regular file larger than the chunk it names can take
 * ({@link ChunkCodec#maxFileBytes}) is never read. Such a file is a bad copy of that one chunk,
 * reported as a {@link CorruptChunkException} naming it, so readers go on to their next store.
 */
public final class ChunkFileReader {
    private ChunkFileReader() {}

    /**
     * The file's size if it may hold a chunk of {@code size} bytes ({@code -1}: unknown), else -1
     * (absent, a link, not a regular file, empty, or too large). What {@code has}, {@code sizeOf}
     * and so {@code info --store} count as present. No exception for a missing file: most lookups
     * in a cache or a new store miss.
     */
    public static long usableSize(Path file, boolean compressed, int size) {
        if (!file.toFile().isFile()) {
            return -1;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean ok = a.isRegularFile() && a.size() > 0 && a.size() <= ChunkCodec.maxFileBytes(size, compressed);
            return ok ? a.size() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * What is wrong with the entry at a chunk's name for a reader that does not know the chunk's
     * size (a store-wide verify), or null if it may be read: a link, a directory, a FIFO or device,
     * or a file larger than any chunk file.
     */
    public static String problem(Path file, boolean compressed) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null; // removed meanwhile: the reader finds it gone
        }
        return problem(a, compressed, -1);
    }

    private static String problem(BasicFileAttributes a, boolean compressed, int size) {
        if (a.isSymbolicLink()) {
            return "is a symbolic link, not a chunk file";
        }
        if (a.isDirectory()) {
            return "is a directory, not a chunk file";
        }
        if (!a.isRegularFile()) {
            return "is a FIFO, socket or device, not a chunk file (not opened)";
        }
        long cap = ChunkCodec.maxFileBytes(size, compressed);
        if (a.size() > cap) {
            return "file is " + a.size() + " bytes, more than " + describe(size, compressed) + " can take (" + cap
                    + "); not read";
        }
        return null;
    }

    private static String describe(int size, boolean compressed) {
        String what = compressed ? "a compressed file of " : "a raw file of ";
        return size < 0 ? what + "any chunk" : what + "a chunk of " + size + " bytes";
    }

    /**
     * The chunk file at {@code file}, read only if it may hold chunk {@code id} of {@code size}
     * bytes ({@code -1}: unknown, any chunk); null if nothing is there or a symbolic link is
     * (casync's known-missing mark).
     *
     * @param where the store, for the message
     * @throws CorruptChunkException if the entry cannot hold the chunk (not a regular file, too large)
     * @throws IOException if reading fails, naming the file
     */
    public static ChunkFile read(Path file, boolean compressed, ChunkId id, int size, String where) throws IOException {
        if (!file.toFile().exists()) {
            return null; // the common miss (or a dangling link), without an exception
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (a.isSymbolicLink()) {
            return null;
        }
        String problem = problem(a, compressed, size);
        if (problem != null) {
            throw bad(id, where, file, problem);
        }
        long cap = ChunkCodec.maxFileBytes(size, compressed);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Read at most cap + 1 bytes, whatever the file grew to since it was looked at.
            long now = ch.size();
            if (now > cap) {
                throw bad(id, where, file, "file is " + now + " bytes, more than " + cap + "; not read");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) now);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read to the end
            }
            if (buf.hasRemaining()) {
                throw new IOException(file + ": chunk file shrank while being read");
            }
            return new ChunkFile(buf.array(), compressed);
        } catch (NoSuchFileException e) {
            return null; // removed since it was looked at (a prune)
        } catch (CorruptChunkException e) {
            throw e;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                return null; // replaced by a known-missing mark meanwhile (NOFOLLOW_LINKS fails with ELOOP)
            }
            throw e.getMessage() != null && e.getMessage().contains(file.toString())
                    ? e
                    : new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static CorruptChunkException bad(ChunkId id, String where, Path file, String problem) {
        return new CorruptChunkException(
                id, where, Reason.NOT_A_CHUNK_FILE, file.getFileName() + " " + problem, null, null);
    }
}
