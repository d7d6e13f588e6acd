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
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRouterTest {
    @TempDir
    Path tmp;

    private LocalStore store(String name) {
        return new LocalStore(tmp.resolve(name));
    }

    private static StoreRouter router(ReadStore... stores) {
        return new StoreRouter(List.of(stores), ChunkVerifier.of(SHA));
    }

    @Test
    void aChunkMissingFromOneStoreIsLookedUpInTheNext() throws IOException {
        LocalStore first = store("first");
        LocalStore second = store("second");
        Chunk a = Chunk.of(1, 5000);
        Chunk b = Chunk.of(2, 6000);
        first.put(a.id(), a.file());
        second.put(b.id(), b.file());
        StoreRouter router = router(first, second);
        Fetched got = router.fetch(b.id(), b.data().length);
        assertArrayEquals(b.data(), got.data());
        assertSame(second, got.store(), "the store that had it, not the router");
        assertSame(first, router.fetch(a.id(), -1).store());
        assertTrue(router.has(b.id()));
        assertEquals(second.sizeOf(b.id()), router.sizeOf(b.id()));
        assertArrayEquals(b.file().bytes(), router.get(b.id()).orElseThrow().bytes());
    }

    @Test
    void missingEverywhereNamesEveryStore() throws IOException {
        LocalStore first = store("first.castr");
        LocalStore second = store("second.castr");
        Chunk c = Chunk.of(3, 100);
        ChunkNotFoundException e = assertThrows(
                ChunkNotFoundException.class, () -> router(first, second).fetch(c.id(), 100));
        assertEquals(c.id(), e.id());
        assertEquals(
                "chunk " + c.id() + " not found in stores " + first.location() + ", " + second.location(),
                e.getMessage());
        assertEquals(
                "chunk " + c.id() + " not found in store " + first.location(),
                assertThrows(ChunkNotFoundException.class, () -> router(first).fetch(c.id(), 100))
                        .getMessage());
        assertEquals(
                "chunk " + c.id() + " not found in any store (none given)",
                assertThrows(ChunkNotFoundException.class, () -> router().fetch(c.id(), 100))
                        .getMessage());
        StoreRouter both = router(first, second);
        assertFalse(both.get(c.id()).isPresent());
        assertFalse(both.has(c.id()));
        assertEquals(-1, both.sizeOf(c.id()));
    }

    @Test
    void corruptCopiesFallThroughToAGoodOne() throws IOException {
        LocalStore bad = store("bad");
        LocalStore good = store("good");
        Chunk c = Chunk.of(4, 20000);
        bad.put(c.id(), c.corruptFile());
        good.put(c.id(), c.file());
        Fetched got = router(bad, good).fetch(c.id(), c.data().length);
        assertSame(good, got.store());
        assertArrayEquals(c.data(), got.data());
    }

    @Test
    void corruptEverywhereNamesTheLastCorruptStoreAndKeepsTheDetail() throws IOException {
        LocalStore bad1 = store("bad1");
        LocalStore bad2 = store("bad2");
        Chunk c = Chunk.of(5, 20000);
        bad1.put(c.id(), c.corruptFile());
        bad2.put(c.id(), new ChunkFile("garbage".getBytes(), true));
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class,
                () -> router(bad1, store("empty"), bad2).fetch(c.id(), c.data().length));
        assertEquals(c.id(), e.id());
        assertEquals(bad2.location(), e.where());
        assertEquals(CorruptChunkException.Reason.UNDECODABLE, e.reason());
        assertTrue(
                e.getMessage().startsWith("chunk " + c.id() + " in " + bad2.location() + " is corrupt: "),
                e.getMessage());
        assertTrue(e.getCause() instanceof IOException, "the decoder's error is kept: " + e.getCause());
    }

    @Test
    void aStoreThatFailsIsAskedOnceThenSkippedForTheRestOfTheRun() throws IOException {
        Down down = new Down("http://down.example/store");
        LocalStore good = store("good");
        List<Chunk> chunks = List.of(Chunk.of(6, 1000), Chunk.of(7, 1000), Chunk.of(8, 1000));
        for (Chunk c : chunks) {
            good.put(c.id(), c.file());
        }
        StoreRouter router = router(down, good);
        for (Chunk c : chunks) {
            Fetched got = router.fetch(c.id(), c.data().length);
            assertSame(good, got.store());
        }
        assertEquals(1, down.requests.get(), "one failure, then skipped");
    }

    @Test
    void aChunkOnlyAFailedStoreCouldHaveIsUnavailableNotMissing() throws IOException {
        Down down = new Down("http://down.example/store");
        LocalStore empty = store("empty");
        Chunk c = Chunk.of(9, 1000);
        StoreUnavailableException e = assertThrows(
                StoreUnavailableException.class, () -> router(empty, down).fetch(c.id(), 1000));
        assertEquals(
                "chunk " + c.id() + " not available: store http://down.example/store failed (connection refused); "
                        + "no other store has it",
                e.getMessage());
        assertEquals("connection refused", e.getCause().getMessage(), "the store's error is the cause");
        e = assertThrows(StoreUnavailableException.class, () -> router(down).fetch(c.id(), 1000));
        assertFalse(e.getMessage().contains("no other store"), e.getMessage());
        assertThrows(StoreUnavailableException.class, () -> router(down).has(c.id()));
        assertThrows(StoreUnavailableException.class, () -> router(down).sizeOf(c.id()));
    }

    @Test
    void refetchesAsOftenAsTheStoreAllows() throws IOException {
        Chunk c = Chunk.of(10, 3000);
        LocalStore good = store("good");
        good.put(c.id(), c.file());
        LocalStore bad = store("bad");
        bad.put(c.id(), c.corruptFile());
        Counting flaky = new Counting(bad) {
            @Override
            public int refetchesOnCorruption() {
                return 2;
            }
        };
        assertSame(good, router(flaky, good).fetch(c.id(), c.data().length).store());
        assertEquals(3, flaky.gets.get(), "one fetch and two refetches");
        Counting local = new Counting(bad);
        router(local, good).fetch(c.id(), c.data().length);
        assertEquals(1, local.gets.get());
    }

    @Test
    void routersInARouterAreFlattened() throws IOException {
        LocalStore a = store("a");
        LocalStore b = store("b");
        LocalStore d = store("d");
        StoreRouter inner = router(b, d);
        StoreRouter outer = router(a, inner);
        assertEquals(List.of(a, b, d), outer.stores());
        assertEquals(a.location() + ", " + b.location() + ", " + d.location(), outer.location());
        Chunk c = Chunk.of(11, 500);
        d.put(c.id(), c.file());
        assertSame(d, outer.fetch(c.id(), 500).store());
    }

    @Test
    void closeClosesEveryStore() throws IOException {
        Down one = new Down("one");
        Down two = new Down("two");
        router(one, two).close();
        assertEquals(1, one.closed.get());
        assertEquals(1, two.closed.get());
    }
}
