package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
    private static final DigestAlgorithm SHA = DigestAlgorithm.SHA512_256;

    @TempDir
    Path tmp;

    private static ChunkId idOf(byte[] data) {
        return SHA.digest(data);
    }

    private static ChunkFile zstd(byte[] data) throws IOException {
        return ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);
    }

    @Test
    void putThenGetAndHas() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("s.castr"));
        byte[] data = TestData.random(1, 20000);
        ChunkId id = idOf(data);
        ChunkFile file = zstd(data);

        assertFalse(store.has(id));
        store.put(id, file);
        assertTrue(store.has(id));

        Path expected =
                tmp.resolve("s.castr").resolve(id.toHex().substring(0, 4)).resolve(id.toHex() + ".cacnk");
        assertEquals(expected, store.compressedPath(id));
        assertTrue(Files.isRegularFile(expected, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(store.rawPath(id)));
        assertArrayEquals(file.bytes(), Files.readAllBytes(expected));

        Optional<ChunkFile> got = store.get(id);
        assertTrue(got.isPresent());
        assertTrue(got.get().compressed());
        assertArrayEquals(file.bytes(), got.get().bytes());
        assertArrayEquals(data, ChunkCodec.decode(got.get(), data.length));
        assertEquals(tmp.resolve("s.castr").toString(), store.location());
        assertEquals(tmp.resolve("s.castr"), store.root());
    }

    @Test
    void missingChunk() throws IOException {
        LocalStore store = new LocalStore(tmp);
        ChunkId id = idOf(new byte[] {1, 2, 3});
        assertEquals(Optional.empty(), store.get(id));
        assertFalse(store.has(id));
        // A store whose directory does not exist is just empty.
        LocalStore absent = new LocalStore(tmp.resolve("does/not/exist"));
        assertEquals(Optional.empty(), absent.get(id));
        assertFalse(absent.has(id));
        assertFalse(Files.exists(tmp.resolve("does")), "reading must not create the store");
    }

    @Test
    void putCreatesMissingStoreDirectory() throws IOException {
        Path root = tmp.resolve("a/b/new.castr");
        LocalStore store = new LocalStore(root);
        byte[] data = TestData.random(2, 5000);
        ChunkId id = idOf(data);
        store.put(id, zstd(data));
        assertTrue(Files.isDirectory(root));
        assertTrue(Files.isRegularFile(store.compressedPath(id)));
        assertArrayEquals(data, ChunkCodec.decode(store.get(id).orElseThrow(), data.length));
    }

    @Test
    void putOfExistingChunkIsNoOp() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(3, 30000);
        ChunkId id = idOf(data);
        ChunkFile first = zstd(data);
        store.put(id, first);
        Path path = store.compressedPath(id);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(path, old);
        Object inode = Files.getAttribute(path, "unix:ino");

        // Same id again, even with a different encoding: nothing is written.
        store.put(id, first);
        store.put(id, ChunkCodec.encode(data, 0, data.length, Compression.GZIP));
        store.put(id, new ChunkFile(data, false));

        assertEquals(old, Files.getLastModifiedTime(path));
        assertEquals(inode, Files.getAttribute(path, "unix:ino"));
        assertArrayEquals(first.bytes(), Files.readAllBytes(path));
        assertFalse(Files.exists(store.rawPath(id)), "an existing .cacnk also covers the raw form");
        assertEquals(List.of(id.toHex() + ".cacnk"), TestData.names(path.getParent()));
    }

    @Test
    void existingRawChunkMakesCompressedPutNoOp() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(4, 1000);
        ChunkId id = idOf(data);
        store.put(id, new ChunkFile(data, false));
        store.put(id, zstd(data));
        assertFalse(Files.exists(store.compressedPath(id)));
        assertEquals(List.of(id.toHex()), TestData.names(store.rawPath(id).getParent()));
    }

    @Test
    void filesAreReadOnlyAndNoTempFilesRemain() throws IOException {
        LocalStore store = new LocalStore(tmp);
        List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] data = TestData.random(100 + i, 1000 + i);
            ChunkId id = idOf(data);
            ids.add(id);
            store.put(id, i % 2 == 0 ? zstd(data) : new ChunkFile(data, false));
        }
        List<Path> files = TestData.files(tmp);
        assertEquals(20, files.size(), files.toString());
        for (Path f : files) {
            assertFalse(f.getFileName().toString().endsWith(".tmp"), f.toString());
            // 0444 minus the umask; the umask never removes read bits in practice.
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
        for (ChunkId id : ids) {
            assertTrue(store.has(id));
        }
    }

    @Test
    void rawChunkIsReadUncompressed() throws IOException {
        LocalStore store = new LocalStore(tmp);
        // Raw data that happens to start with the zstd magic must still be read as raw.
        byte[] data = TestData.concat(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}, TestData.random(5, 3000));
        ChunkId id = idOf(data);
        Path raw = store.rawPath(id);
        assertEquals(tmp.resolve(id.prefix()).resolve(id.toHex()), raw);
        Files.createDirectories(raw.getParent());
        Files.write(raw, data); // as casync's cache stores write it

        assertTrue(store.has(id));
        ChunkFile got = store.get(id).orElseThrow();
        assertFalse(got.compressed());
        assertArrayEquals(data, got.bytes());
        assertArrayEquals(data, ChunkCodec.decode(got, data.length));
    }

    @Test
    void rawPutWritesFileWithoutSuffix() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(6, 2000);
        ChunkId id = idOf(data);
        store.put(id, new ChunkFile(data, false));
        assertTrue(Files.isRegularFile(store.rawPath(id)));
        assertFalse(Files.exists(store.compressedPath(id)));
        assertArrayEquals(data, Files.readAllBytes(store.rawPath(id)));
        ChunkFile got = store.get(id).orElseThrow();
        assertFalse(got.compressed());
        assertArrayEquals(data, got.bytes());
    }

    @Test
    void symlinkAtChunkPathIsMissing() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store"));
        byte[] data = TestData.random(7, 4000);
        ChunkId id = idOf(data);
        // A real, valid chunk file elsewhere: even a link to it does not count.
        Path elsewhere = tmp.resolve("elsewhere.cacnk");
        Files.write(elsewhere, zstd(data).bytes());
        Files.createDirectories(store.compressedPath(id).getParent());
        Files.createSymbolicLink(store.compressedPath(id), elsewhere);
        Files.createSymbolicLink(store.rawPath(id), Paths.get("/dev/null")); // casync's known-missing mark

        assertFalse(store.has(id));
        assertEquals(Optional.empty(), store.get(id));

        // Dangling link too.
        byte[] other = TestData.random(8, 10);
        ChunkId otherId = idOf(other);
        Files.createDirectories(store.compressedPath(otherId).getParent());
        Files.createSymbolicLink(store.compressedPath(otherId), tmp.resolve("nowhere"));
        assertFalse(store.has(otherId));
        assertEquals(Optional.empty(), store.get(otherId));
    }

    @Test
    void symlinkForOneFormDoesNotHideTheOther() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(9, 4000);
        ChunkId id = idOf(data);
        Files.createDirectories(store.rawPath(id).getParent());
        Files.createSymbolicLink(store.compressedPath(id), Paths.get("/dev/null"));
        Files.write(store.rawPath(id), data);
        ChunkFile got = store.get(id).orElseThrow();
        assertFalse(got.compressed());
        assertArrayEquals(data, got.bytes());
    }

    @Test
    void putReplacesKnownMissingMark() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(10, 4000);
        ChunkId id = idOf(data);
        Files.createDirectories(store.compressedPath(id).getParent());
        Files.createSymbolicLink(store.compressedPath(id), Paths.get("/dev/null"));
        store.put(id, zstd(data));
        assertTrue(store.has(id));
        assertTrue(Files.isRegularFile(store.compressedPath(id), LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(data, ChunkCodec.decode(store.get(id).orElseThrow(), data.length));
    }

    @Test
    void emptyChunkFileLeftByAPowerCutIsMissingAndReplaced() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(12, 4000);
        ChunkId id = idOf(data);
        Files.createDirectories(store.compressedPath(id).getParent());
        Files.createFile(store.compressedPath(id));
        assertFalse(store.has(id));
        assertEquals(-1, store.sizeOf(id));
        assertEquals(0, store.get(id).orElseThrow().bytes().length, "read as it is, so a reader reports it as corrupt");
        assertTrue(new ChunkWriter(store).putIfAbsent(id, () -> zstd(data)));
        assertTrue(store.has(id));
        assertArrayEquals(data, ChunkCodec.decode(store.get(id).orElseThrow(), data.length));
    }

    @Test
    void leftoverTempFilesAreIgnored() throws IOException {
        LocalStore store = new LocalStore(tmp);
        byte[] data = TestData.random(11, 4000);
        ChunkId id = idOf(data);
        Path dir = store.compressedPath(id).getParent();
        Files.createDirectories(dir);
        Files.write(dir.resolve(id.toHex() + ".1a2b3c4d5e6f.tmp"), zstd(data).bytes());
        assertFalse(store.has(id));
        assertEquals(Optional.empty(), store.get(id));
        store.put(id, zstd(data));
        assertTrue(store.has(id));
    }

    @Test
    void readsCasyncVectorStoreFiles() throws IOException {
        Path vectorStore = TestData.vectorsDir().resolve("cases/text-xz/store.castr");
        LocalStore store = new LocalStore(vectorStore);
        List<Path> files = TestData.files(vectorStore);
        assertFalse(files.isEmpty(), "casync's xz store of the text vector");
        for (Path f : files) {
            String name = f.getFileName().toString();
            ChunkId id = ChunkId.parse(name.substring(0, 64));
            assertTrue(store.has(id));
            ChunkFile file = store.get(id).orElseThrow();
            assertTrue(file.compressed());
            assertEquals(id.toHex(), TestData.sha512_256Hex(ChunkCodec.decode(file, -1)));
        }
    }

    @Test
    void concurrentPutsLeaveOnlyValidFiles() throws Exception {
        Path root = tmp.resolve("concurrent.castr"); // created by the puts themselves
        LocalStore store = new LocalStore(root);
        int threads = 8;
        int shared = 40;
        int ownPerThread = 25;
        Map<ChunkId, byte[]> all = Collections.synchronizedMap(new HashMap<>());
        List<ChunkId> sharedIds = new ArrayList<>();
        Map<ChunkId, ChunkFile> encoded = new HashMap<>();
        for (int i = 0; i < shared; i++) {
            // Few distinct prefixes is not controllable; sizes vary so writes take different times.
            byte[] data = TestData.random(1000 + i, 2000 + 997 * i);
            ChunkId id = idOf(data);
            all.put(id, data);
            sharedIds.add(id);
            encoded.put(id, i % 3 == 0 ? new ChunkFile(data, false) : zstd(data));
        }
        List<List<ChunkId>> own = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<ChunkId> mine = new ArrayList<>();
            for (int i = 0; i < ownPerThread; i++) {
                byte[] data = TestData.random(5000 + t * 100 + i, 500 + 131 * i);
                ChunkId id = idOf(data);
                all.put(id, data);
                mine.add(id);
                encoded.put(id, zstd(data));
            }
            own.add(mine);
        }

        CyclicBarrier start = new CyclicBarrier(threads + 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<ChunkId> work = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    work.addAll(sharedIds);
                }
                work.addAll(own.get(t));
                Collections.shuffle(work, new Random(t));
                futures.add(pool.submit(() -> {
                    start.await();
                    for (ChunkId id : work) {
                        store.put(id, encoded.get(id));
                    }
                    return null;
                }));
            }
            // Two readers racing with the writers: a chunk is either absent or complete.
            List<ChunkId> allIds = new ArrayList<>(all.keySet());
            for (int r = 0; r < 2; r++) {
                int seed = r;
                futures.add(pool.submit(() -> {
                    start.await();
                    Random rnd = new Random(seed);
                    while (writing.get()) {
                        ChunkId id = allIds.get(rnd.nextInt(allIds.size()));
                        Optional<ChunkFile> f = store.get(id);
                        if (f.isPresent()) {
                            byte[] data = ChunkCodec.decode(f.get(), all.get(id).length);
                            if (!idOf(data).equals(id)) {
                                problems.add("partial or wrong data read for " + id);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < threads; t++) {
                futures.get(t).get(30, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertEquals(List.of(), new ArrayList<>(problems));

        List<Path> files = TestData.files(root);
        assertEquals(shared + threads * ownPerThread, all.size(), "test data ids are distinct");
        assertEquals(all.size(), files.size(), "exactly one file per chunk, no temp files: " + files);
        Set<ChunkId> seen = new HashSet<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertFalse(name.endsWith(".tmp"), name);
            ChunkId id = ChunkId.parse(name.substring(0, 64));
            assertTrue(seen.add(id), "only one form of " + id);
            boolean compressed = name.endsWith(".cacnk");
            assertEquals(compressed ? 64 + 6 : 64, name.length(), name);
            assertEquals(id.prefix(), f.getParent().getFileName().toString());
            assertEquals(encoded.get(id).compressed(), compressed, name);
            byte[] data = ChunkCodec.decode(new ChunkFile(Files.readAllBytes(f), compressed), all.get(id).length);
            assertArrayEquals(all.get(id), data, name);
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), name);
        }
        assertEquals(all.keySet(), seen);
    }
}
