package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.CorruptChunkException.Reason;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ChunkFileReaderTest {
    @TempDir
    Path dir;

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** The bound must hold for data that does not compress, in every format casync writes. */
    @Test
    void everyCodecStaysWithinTheBoundOnIncompressibleData() throws IOException {
        for (int size : new int[] {1, 47, 4096, 65536, 65537, (1 << 20) + 7, 5 << 20}) {
            byte[] data = random(size);
            for (Compression c : Compression.values()) {
                ChunkFile f = ChunkCodec.encode(data, 0, size, c);
                long cap = ChunkCodec.maxFileBytes(size, f.compressed());
                assertTrue(f.bytes().length <= cap, c + " of " + size + " bytes: " + f.bytes().length + " > " + cap);
                assertArrayEquals(data, ChunkCodec.decode(f, size));
            }
        }
        assertEquals(ChunkCodec.MAX_FILE_BYTES, ChunkCodec.maxFileBytes(-1, true));
        assertTrue(ChunkCodec.maxFileBytes(128 << 20, true) <= ChunkCodec.MAX_FILE_BYTES);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void badEntriesAreBadCopiesOfThatChunkNeverOpenedOrRead() throws Exception {
        LocalStore store = new LocalStore(dir.resolve("s"));
        byte[] data = random(10_000);
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        Path cacnk = store.compressedPath(id);
        Path raw = store.rawPath(id);
        Files.createDirectories(cacnk.getParent());

        // One byte more than the index's size allows: not read.
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(10_001);
        }
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> store.get(id, 10_000));
        assertEquals(Reason.NOT_A_CHUNK_FILE, e.reason());
        assertTrue(e.getMessage().contains(id.toString()) && e.getMessage().contains("10001 bytes"), e.getMessage());
        assertTrue(store.get(id, 20_000).isPresent(), "within the size of a larger chunk");
        Files.delete(raw);

        // A FIFO is never opened (opening one would block here).
        assertEquals(0, new ProcessBuilder("mkfifo", cacnk.toString()).start().waitFor());
        e = assertThrows(CorruptChunkException.class, () -> store.get(id, 10_000));
        assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
        assertFalse(store.has(id));
        assertEquals(-1, store.sizeOf(id));
        // ... and a good file in the other form is used.
        Files.write(raw, data);
        assertArrayEquals(data, store.get(id, 10_000).orElseThrow().bytes());
        Files.delete(raw);
        Files.delete(cacnk);

        Files.createDirectory(cacnk);
        e = assertThrows(CorruptChunkException.class, () -> store.get(id, -1));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        Files.delete(cacnk);

        // A symlink is casync's known-missing mark: absent, not an error.
        Files.createSymbolicLink(cacnk, dir);
        assertTrue(store.get(id, 10_000).isEmpty());
        assertFalse(store.has(id));
    }

    @Test
    void aCorruptCacheFileIsReplacedByTheVerifiedCopy() throws IOException {
        LocalStore cache = new LocalStore(dir.resolve("cache"));
        LocalStore origin = new LocalStore(dir.resolve("origin"));
        byte[] data = random(5000);
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        ChunkFile good = ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);
        origin.put(id, good);
        cache.put(id, new ChunkFile("garbage".getBytes(), true));
        CacheStore cached = new CacheStore(cache, origin, ChunkVerifier.of(DigestAlgorithm.SHA512_256));
        assertArrayEquals(data, cached.fetch(id, data.length).data());
        assertArrayEquals(good.bytes(), Files.readAllBytes(cache.compressedPath(id)));
    }
}
