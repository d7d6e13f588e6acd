package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.store.TestStores.Chunk;
import dev.jcasync.store.TestStores.Counting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkWriterTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @TempDir
    Path tmp;

    @Test
    void storesWhatIsMissingAndOnlyMakesItThen() throws IOException {
        LocalStore store = new LocalStore(tmp);
        ChunkWriter writer = new ChunkWriter(store);
        Chunk c = Chunk.of(1, 3000);
        AtomicInteger made = new AtomicInteger();
        assertTrue(writer.putIfAbsent(c.id(), () -> {
            made.incrementAndGet();
            return c.file();
        }));
        assertTrue(store.has(c.id()));
        assertFalse(writer.putIfAbsent(c.id(), () -> {
            made.incrementAndGet();
            return c.file();
        }));
        assertEquals(1, made.get(), "not encoded again for a chunk that is present");
    }

    @Test
    void aPresentChunkIsMarkedInUseForAConcurrentPrune() throws IOException {
        LocalStore store = new LocalStore(tmp);
        Chunk c = Chunk.of(2, 3000);
        store.put(c.id(), c.file());
        Files.setLastModifiedTime(store.compressedPath(c.id()), OLD);
        Instant cutoff = store.now();
        assertFalse(new ChunkWriter(store).putIfAbsent(c.id(), c.data(), 0, c.data().length, Compression.ZSTD));
        StoreFile f = ChunkLayout.parse(ChunkLayout.path(c.id(), true));
        assertFalse(store.idleSince(f, cutoff), "touched: younger than the prune");
        assertFalse(store.removeIfIdleSince(f, cutoff));
    }

    @Test
    void aStoreThatCannotMarkChunksIsAskedAndPutInto() throws IOException {
        Counting store = new Counting(new LocalStore(tmp));
        ChunkWriter writer = new ChunkWriter(store);
        Chunk c = Chunk.of(3, 3000);
        assertFalse(writer.present(c.id()));
        assertTrue(writer.putIfAbsent(c.id(), c.data(), 0, c.data().length, Compression.XZ));
        assertTrue(writer.present(c.id()));
        assertFalse(writer.putIfAbsent(c.id(), c.data(), 0, c.data().length, Compression.XZ));
        assertEquals(1, store.puts.get());
        assertEquals(Compression.XZ, Compression.of(store.get(c.id()).orElseThrow()));
    }
}
