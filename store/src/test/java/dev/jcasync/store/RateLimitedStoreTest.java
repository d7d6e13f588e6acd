package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitedStoreTest {
    /** A remote-looking store that holds every chunk as a file of 10,000 bytes. */
    private static final class FakeRemote implements ChunkStore {
        @Override
        public Optional<ChunkFile> get(ChunkId id) {
            return Optional.of(new ChunkFile(new byte[10_000], true));
        }

        @Override
        public boolean has(ChunkId id) {
            return true;
        }

        @Override
        public void put(ChunkId id, ChunkFile file) {}

        @Override
        public boolean isRemote() {
            return true;
        }

        @Override
        public String location() {
            return "fake";
        }
    }

    private static final ChunkId ID = ChunkId.of(new byte[32]);

    @Test
    void transfersArePacedToTheRateAfterAOneSecondBurst() throws Exception {
        ChunkStore store = RateLimitedStore.of(new FakeRemote(), new RateLimitedStore.Limit(50_000));
        long start = System.nanoTime();
        for (int i = 0; i < 15; i++) { // 150,000 bytes: 50,000 of burst, then 100,000 at 50,000/s
            store.get(ID);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 1.9 && seconds < 3.0, "took " + seconds + " s");
    }

    @Test
    void uploadsCountToo() throws Exception {
        ChunkStore store = RateLimitedStore.of(new FakeRemote(), new RateLimitedStore.Limit(100_000));
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) { // 200,000 bytes: 100,000 of burst, then 100,000 at 100,000/s
            store.put(ID, new ChunkFile(new byte[10_000], true));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.9 && seconds < 2.0, "took " + seconds + " s");
    }

    @Test
    void localStoresAreNotLimited(@TempDir Path dir) {
        LocalStore local = new LocalStore(dir);
        assertSame(local, RateLimitedStore.of(local, new RateLimitedStore.Limit(1)));
    }
}
