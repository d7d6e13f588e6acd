package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing, touching and deleting that verify and prune build on. */
class LocalStoreMaintenanceTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path tmp;

    private static ChunkId put(LocalStore store, long seed, Compression c) throws IOException {
        byte[] data = TestData.random(seed, 5000 + (int) seed);
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        store.put(id, ChunkCodec.encode(data, 0, data.length, c));
        return id;
    }

    private static void age(LocalStore store, ChunkId id) throws IOException {
        Files.setLastModifiedTime(store.compressedPath(id), OLD);
    }

    private static Set<Path> list(LocalStore store, Stream<?> s) {
        try (s) {
            return s.map(o -> o instanceof StoreFile f ? store.path(f) : (Path) o)
                    .collect(Collectors.toSet());
        }
    }

    /** The listing entry of a chunk file. */
    private static StoreFile storeFile(LocalStore store, Path file) {
        return ChunkLayout.parse(store.root().relativize(file).toString());
    }

    @Test
    void filesListsChunkFilesOfThePrefixDirectoriesOnly() throws IOException {
        LocalStore store = new LocalStore(tmp);
        ChunkId zstd = put(store, 1, Compression.ZSTD);
        ChunkId raw = put(store, 2, Compression.NONE);
        Path dir = store.compressedPath(zstd).getParent();
        Path casyncTemp = Files.writeString(dir.resolve(zstd.toHex() + ".1f2e3d.tmp"), "partial");
        Path desyncTemp = Files.writeString(dir.resolve(".tmp-cacnk123456"), "partial");
        Files.writeString(dir.resolve("README"), "not a chunk");
        Files.writeString(tmp.resolve(zstd.toHex() + ".cacnk"), "at the root: not in a prefix directory");
        Files.createDirectories(tmp.resolve("other"));
        Files.writeString(tmp.resolve("other").resolve(zstd.toHex()), "not a prefix directory");
        ChunkId missing = DigestAlgorithm.SHA512_256.digest(TestData.random(3, 100));
        Files.createDirectories(store.rawPath(missing).getParent());
        Files.createSymbolicLink(store.rawPath(missing), Path.of("/dev/null"));
        Path misplaced = Files.createDirectories(tmp.resolve("0000")).resolve(raw.toHex());
        Files.copy(store.rawPath(raw), misplaced);

        assertEquals(Set.of(store.compressedPath(zstd), store.rawPath(raw), misplaced), list(store, store.files()));
        try (Stream<StoreFile> files = store.files()) {
            for (StoreFile f : files.toList()) {
                assertEquals(store.path(f).equals(misplaced), f.misplaced(), f.toString());
                assertEquals(f.name().endsWith(".cacnk"), f.compressed());
            }
        }
        assertEquals(Set.of(casyncTemp, desyncTemp), list(store, store.tempFiles()));
        assertNull(ChunkLayout.parse("abcd/ABCD" + zstd.toHex().substring(4)), "ids are lowercase");
    }

    @Test
    void listingAMissingStoreNamesIt() {
        LocalStore store = new LocalStore(tmp.resolve("absent.castr"));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, store::files);
        assertTrue(e.getMessage().contains("absent.castr"), e.getMessage());
    }

    @Test
    void touchMarksPresentChunksOnly() throws IOException {
        LocalStore store = new LocalStore(tmp);
        ChunkId id = put(store, 4, Compression.ZSTD);
        age(store, id);
        FileTime before = FileTime.from(store.now());
        assertTrue(store.touch(id));
        assertTrue(Files.getLastModifiedTime(store.compressedPath(id)).compareTo(before) >= 0);

        ChunkId absent = DigestAlgorithm.SHA512_256.digest(TestData.random(5, 100));
        assertFalse(store.touch(absent));
        Files.createDirectories(store.rawPath(absent).getParent());
        Path target = Files.writeString(tmp.resolve("elsewhere"), "x");
        Files.setLastModifiedTime(target, OLD);
        Files.createSymbolicLink(store.rawPath(absent), target);
        assertFalse(store.touch(absent), "a symlink marks a known-missing chunk");
        assertEquals(OLD, Files.getLastModifiedTime(target), "the link is not followed");
    }

    @Test
    void chunkWriterTouchesWhatItReuses() throws IOException {
        LocalStore store = new LocalStore(tmp);
        ChunkId id = put(store, 6, Compression.ZSTD);
        age(store, id);
        Object inode = Files.getAttribute(store.compressedPath(id), "unix:ino");
        ChunkWriter writer = new ChunkWriter(store);
        assertTrue(writer.present(id));
        assertTrue(Files.getLastModifiedTime(store.compressedPath(id)).compareTo(OLD) > 0);
        age(store, id);
        byte[] data = TestData.random(6, 5006);
        assertFalse(writer.putIfAbsent(id, data, 0, data.length, Compression.GZIP));
        assertTrue(Files.getLastModifiedTime(store.compressedPath(id)).compareTo(OLD) > 0);
        assertEquals(inode, Files.getAttribute(store.compressedPath(id), "unix:ino"), "not rewritten");
        assertEquals(Compression.ZSTD, Compression.detect(Files.readAllBytes(store.compressedPath(id))));
    }

    @Test
    void removeIfIdleSinceSparesYoungFiles() throws IOException, InterruptedException {
        LocalStore store = new LocalStore(tmp);
        ChunkId old = put(store, 7, Compression.ZSTD);
        ChunkId young = put(store, 8, Compression.ZSTD);
        age(store, old);
        Thread.sleep(50);
        Instant cutoff = store.now();
        assertTrue(store.touch(young));
        assertTrue(store.removeIfIdleSince(storeFile(store, store.compressedPath(old)), cutoff));
        assertFalse(Files.exists(store.compressedPath(old)));
        assertFalse(store.removeIfIdleSince(storeFile(store, store.compressedPath(young)), cutoff));
        assertTrue(Files.exists(store.compressedPath(young)));
        assertFalse(store.removeIfIdleSince(storeFile(store, store.compressedPath(old)), cutoff), "gone already");
        try (Stream<Path> temps = store.tempFiles()) {
            assertEquals(0, temps.count(), "nothing left aside");
        }
    }

    @Test
    void fileCopiedInWithAnOldTimeIsYoung() throws IOException {
        // rsync -a or cp -p keep the modification time; the change time still says when it arrived.
        LocalStore store = new LocalStore(tmp);
        ChunkId id = put(store, 9, Compression.ZSTD);
        Instant cutoff = store.now();
        age(store, id);
        StoreFile f = storeFile(store, store.compressedPath(id));
        assertFalse(store.idleSince(f, cutoff));
        assertFalse(store.removeIfIdleSince(f, cutoff));
        assertTrue(Files.exists(store.path(f)));
    }

    /**
     * The prune/make race: a remover deletes old, unreferenced chunks while a writer reuses them
     * (has, else put) in the opposite order. Whatever the interleaving, every chunk the writer
     * used after the cutoff must exist at the end.
     */
    @RepeatedTest(5)
    void aWriterThatReusesAChunkDuringRemovalAlwaysKeepsIt() throws Exception {
        LocalStore store = new LocalStore(tmp);
        List<ChunkId> ids = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            byte[] data = TestData.random(1000 + i, 200 + i % 50);
            ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
            store.put(id, ChunkCodec.encode(data, 0, data.length, Compression.NONE));
            Files.setLastModifiedTime(store.rawPath(id), OLD);
            ids.add(id);
            datas.add(data);
        }
        Thread.sleep(50); // past the file system clock's tick, so the files' change times are before the cutoff
        Instant cutoff = store.now();
        ChunkWriter writer = new ChunkWriter(store);
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicInteger removed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> remover = pool.submit(() -> {
                start.await();
                for (ChunkId id : ids) {
                    if (store.removeIfIdleSince(new StoreFile(ChunkLayout.path(id, false), id, false), cutoff)) {
                        removed.incrementAndGet();
                    }
                }
                return null;
            });
            Future<?> user = pool.submit(() -> {
                start.await();
                for (int i = ids.size() - 1; i >= 0; i--) {
                    byte[] data = datas.get(i);
                    writer.putIfAbsent(ids.get(i), () -> new ChunkFile(data, false));
                }
                return null;
            });
            remover.get();
            user.get();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(removed.get() > 0, "the remover got ahead of the writer somewhere");
        for (ChunkId id : ids) {
            assertTrue(Files.isRegularFile(store.rawPath(id), LinkOption.NOFOLLOW_LINKS), "chunk " + id + " lost");
        }
        try (Stream<Path> temps = store.tempFiles()) {
            assertEquals(0, temps.count(), "nothing left aside");
        }
    }
}
