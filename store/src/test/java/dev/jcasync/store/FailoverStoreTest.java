package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.store.TestStores.Chunk;
import dev.jcasync.store.TestStores.Down;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverStoreTest {
    @TempDir
    Path tmp;

    @Test
    void failsOverToTheNextReplicaAndStaysThere() throws IOException {
        Down down = new Down("http://a.example/store");
        LocalStore replica = new LocalStore(tmp.resolve("b"));
        Chunk c = Chunk.of(1, 2000);
        Chunk d = Chunk.of(2, 2000);
        replica.put(c.id(), c.file());
        replica.put(d.id(), d.file());
        FailoverStore group = new FailoverStore(List.of(down, replica));
        assertEquals("http://a.example/store|" + replica.location(), group.location());
        assertArrayEquals(c.file().bytes(), group.get(c.id()).orElseThrow().bytes());
        assertSame(replica, group.active());
        assertTrue(group.has(d.id()));
        assertEquals(1, down.requests.get(), "the failed replica is not asked again");
    }

    @Test
    void aChunkMissingFromTheActiveReplicaIsMissing() throws IOException {
        LocalStore active = new LocalStore(tmp.resolve("a"));
        LocalStore other = new LocalStore(tmp.resolve("b"));
        Chunk c = Chunk.of(3, 2000);
        other.put(c.id(), c.file());
        FailoverStore group = new FailoverStore(List.of(active, other));
        assertFalse(group.get(c.id()).isPresent(), "replicas hold the same chunks: no looking further");
        assertFalse(group.has(c.id()));
        assertEquals(-1, group.sizeOf(c.id()));
    }

    @Test
    void allReplicasDownIsAnUnavailableStoreWithTheLastErrorAsCause() throws IOException {
        Down a = new Down("a");
        Down b = new Down("b");
        FailoverStore group = new FailoverStore(List.of(a, b));
        Chunk c = Chunk.of(4, 100);
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> group.get(c.id()));
        assertTrue(e.getMessage().contains("a|b"), e.getMessage());
        assertEquals("connection refused", e.getCause().getMessage());
        assertEquals(1, e.getCause().getSuppressed().length, "the first replica's error too");
    }

    @Test
    void aRouterSkipsAFailoverGroupThatIsDownAsAWhole() throws IOException {
        Down a = new Down("a");
        Down b = new Down("b");
        LocalStore good = new LocalStore(tmp.resolve("good"));
        Chunk c = Chunk.of(5, 3000);
        Chunk d = Chunk.of(6, 3000);
        good.put(c.id(), c.file());
        good.put(d.id(), d.file());
        StoreRouter router =
                new StoreRouter(List.of(new FailoverStore(List.of(a, b)), good), ChunkVerifier.of(TestStores.SHA));
        assertSame(good, router.fetch(c.id(), 3000).store());
        assertSame(good, router.fetch(d.id(), 3000).store());
        assertEquals(1, a.requests.get());
        assertEquals(1, b.requests.get());
    }
}
