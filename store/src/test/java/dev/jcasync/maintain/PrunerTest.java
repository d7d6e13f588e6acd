package dev.jcasync.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.Compression;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.StoreFile;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrunerTest {
    @TempDir
    Path tmp;

    LocalStore store;
    Set<ChunkId> all = new HashSet<>();
    Set<ChunkId> keep = new HashSet<>();

    @BeforeEach
    void storeWithTwentyChunks() throws IOException, InterruptedException {
        store = new LocalStore(tmp.resolve("s.castr"));
        for (int i = 0; i < 20; i++) {
            byte[] data = TestData.random(i, 3000 + i);
            ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
            store.put(id, ChunkCodec.encode(data, 0, data.length, i % 5 == 0 ? Compression.NONE : Compression.ZSTD));
            all.add(id);
            if (i % 3 == 0) {
                keep.add(id);
            }
        }
        Thread.sleep(50); // the files are older than any cutoff taken from now on
    }

    private Set<ChunkId> stored() throws IOException {
        try (Stream<StoreFile> files = store.files()) {
            return files.map(StoreFile::id).collect(Collectors.toSet());
        }
    }

    @Test
    void keepsExactlyTheReferencedChunks() throws IOException {
        PruneReport r = new Pruner(store).prune(keep, Duration.ZERO, false);
        assertEquals(keep, stored());
        assertEquals(keep.size(), r.kept().files());
        assertEquals(all.size() - keep.size(), r.removed().size());
        assertEquals(0, r.recent().files());
        Set<ChunkId> removed = r.removed().stream().map(StoreFile::id).collect(Collectors.toSet());
        Set<ChunkId> expected = new HashSet<>(all);
        expected.removeAll(keep);
        assertEquals(expected, removed);
        assertTrue(r.removedBytes() > 0);
    }

    @Test
    void dryRunReportsTheSameAndDeletesNothing() throws IOException {
        PruneReport dry = new Pruner(store).prune(keep, Duration.ZERO, true);
        assertEquals(all, stored());
        assertTrue(dry.dryRun());
        PruneReport real = new Pruner(store).prune(keep, Duration.ZERO, false);
        assertEquals(dry.removed(), real.removed());
        assertEquals(dry.removedBytes(), real.removedBytes());
    }

    @Test
    void filesYoungerThanTheCutoffAreKept() throws IOException {
        Instant before = Instant.now().minus(Duration.ofMinutes(10));
        PruneReport r = new Pruner(store).prune(keep, before, false);
        assertEquals(all, stored(), "written after the cutoff: a writer's, kept");
        assertEquals(all.size() - keep.size(), r.recent().files());
        assertTrue(r.removed().isEmpty());

        PruneReport graced = new Pruner(store).prune(keep, Duration.ofHours(1), false);
        assertEquals(all, stored(), "within the grace period");
        assertTrue(graced.removed().isEmpty());
    }

    @Test
    void staleTemporaryFilesGoYoungOnesStay() throws IOException {
        Path dir =
                Files.list(store.root()).filter(Files::isDirectory).findFirst().orElseThrow();
        Path stale = Files.writeString(dir.resolve("0123.abc.tmp"), "crashed writer");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path running = Files.writeString(dir.resolve(".tmp-cacnk42"), "running writer");
        PruneReport r = new Pruner(store).prune(all, Duration.ZERO, false);
        assertEquals(1, r.tempFilesRemoved());
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(running));
        assertEquals(List.of(), r.removed());
    }
}
