package dev.jcasync.store;

import static dev.jcasync.store.TestStores.SHA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.store.TestStores.Chunk;
import dev.jcasync.store.TestStores.Counting;
import dev.jcasync.store.TestStores.Down;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aMissIsFetchedVerifiedAndKeptThenReadFromTheCache() throws IOException {
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        Counting origin = new Counting(new LocalStore(tmp.resolve("origin")));
        Chunk c = Chunk.of(1, 40000);
        origin.inner.put(c.id(), c.file());
        CacheStore store = new CacheStore(cache, origin, ChunkVerifier.of(SHA));
        Fetched first = store.fetch(c.id(), c.data().length);
        assertSame(origin, first.store());
        assertArrayEquals(c.data(), first.data());
        assertArrayEquals(
                c.file().bytes(), Files.readAllBytes(cache.compressedPath(c.id())), "kept as the origin has it");

        Fetched second = store.fetch(c.id(), c.data().length);
        assertSame(cache, second.store());
        assertArrayEquals(c.data(), second.data());
        assertEquals(1, origin.gets.get(), "the origin was asked once");
        assertEquals(List.of(cache, origin), store.stores());
    }

    @Test
    void aCorruptCopyIsNeverCached() throws IOException {
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        LocalStore bad = new LocalStore(tmp.resolve("bad"));
        Chunk c = Chunk.of(2, 10000);
        bad.put(c.id(), c.corruptFile());
        CacheStore store = new CacheStore(cache, bad, ChunkVerifier.of(SHA));
        CorruptChunkException e = assertThrows(CorruptChunkException.class, () -> store.fetch(c.id(), c.data().length));
        assertEquals(bad.location(), e.where());
        assertFalse(cache.has(c.id()));
    }

    @Test
    void aCorruptCacheCopyFallsThroughToTheOrigin() throws IOException {
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        LocalStore origin = new LocalStore(tmp.resolve("origin"));
        Chunk c = Chunk.of(3, 10000);
        cache.put(c.id(), c.corruptFile());
        origin.put(c.id(), c.file());
        Fetched got = new CacheStore(cache, origin, ChunkVerifier.of(SHA)).fetch(c.id(), c.data().length);
        assertSame(origin, got.store());
        assertArrayEquals(c.data(), got.data());
    }

    @Test
    void cachedInTheFormatAsked() throws IOException {
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        LocalStore origin = new LocalStore(tmp.resolve("origin"));
        Chunk c = Chunk.of(4, 10000);
        origin.put(c.id(), c.file());
        new CacheStore(cache, origin, ChunkVerifier.of(SHA), Compression.LZ4).fetch(c.id(), c.data().length);
        assertEquals(Compression.LZ4, Compression.of(cache.get(c.id()).orElseThrow()));
        assertArrayEquals(c.data(), ChunkCodec.decode(cache.get(c.id()).orElseThrow(), c.data().length));
    }

    @Test
    void missingEverywhereNamesTheCacheAndTheStoresBehindIt() throws IOException {
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        LocalStore a = new LocalStore(tmp.resolve("a"));
        LocalStore b = new LocalStore(tmp.resolve("b"));
        Chunk c = Chunk.of(5, 100);
        ChunkReader reader = ChunkReader.withCache(cache, List.of(a, b), SHA);
        assertEquals(List.of(cache, a, b), reader.stores());
        ChunkNotFoundException e = assertThrows(ChunkNotFoundException.class, () -> reader.read(c.id(), 100));
        assertEquals(
                "chunk " + c.id() + " not found in stores " + cache.location() + ", " + a.location() + ", "
                        + b.location(),
                e.getMessage());
    }

    @Test
    void readerWithCacheSkipsADownStoreAndFillsFromTheNext() throws IOException {
        LocalStore cache = new LocalStore(tmp.resolve("cache"));
        Down down = new Down("http://down.example/");
        LocalStore good = new LocalStore(tmp.resolve("good"));
        Chunk c = Chunk.of(6, 5000);
        Chunk d = Chunk.of(7, 5000);
        good.put(c.id(), c.file());
        good.put(d.id(), d.file());
        ChunkReader reader = ChunkReader.withCache(cache, List.of(down, good), SHA);
        assertArrayEquals(c.data(), reader.read(c.id(), 5000));
        assertArrayEquals(d.data(), reader.read(d.id(), 5000));
        assertEquals(1, down.requests.get());
        assertTrue(cache.has(c.id()) && cache.has(d.id()));
        assertSame(ChunkReader.withCache(null, List.of(good), SHA).stores().get(0), good, "no cache: the stores alone");
    }
}
