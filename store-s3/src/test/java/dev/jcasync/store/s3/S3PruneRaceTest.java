package dev.jcasync.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.maintain.PruneReport;
import dev.jcasync.maintain.Pruner;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.Compression;
import dev.jcasync.store.StoreFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writers and a prune on one S3 store at the same time (two store objects, as two processes
 * would have): a touch that says "present" is never undone by the prune, and a writer that
 * looks while the prune runs waits for it to end.
 */
class S3PruneRaceTest {
    private static S3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
        server.createBucket("race");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ChunkId put(S3Store store, long seed) throws IOException {
        byte[] data = new byte[5000];
        new Random(seed).nextBytes(data);
        ChunkId id = DigestAlgorithm.SHA512_256.digest(data);
        store.put(id, ChunkCodec.encode(data, 0, data.length, Compression.ZSTD));
        return id;
    }

    @Test
    void aTouchThatFindsAChunkIsNeverUndoneByAPruneRunningAtTheSameTime() throws Exception {
        try (S3Store pruning = server.store("race", "store");
                S3Store writing = server.store("race", "store")) {
            List<ChunkId> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(put(writing, i));
            }
            Thread.sleep(2100); // S3 keeps times to the second
            Instant cutoff = pruning.now();
            Thread.sleep(1100);

            Set<ChunkId> touched = new HashSet<>();
            if (writing.touch(ids.get(0))) { // looks for prune marks: none yet
                touched.add(ids.get(0));
            }
            CompletableFuture<PruneReport> prune = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Pruner(pruning).prune(Set.of(), cutoff, false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Thread.sleep(300);
            // Let through by the look of a moment ago (lands in the prune's quiet time), or waits.
            if (writing.touch(ids.get(1))) {
                touched.add(ids.get(1));
            }
            Thread.sleep(2500);
            // Its look is too old now: it sees the mark and waits for the prune to end.
            boolean found = writing.touch(ids.get(2));
            assertTrue(prune.isDone(), "the writer waited for the prune");
            assertFalse(found, "deleted by the prune before the touch: the writer stores it anew");

            PruneReport report = prune.join();
            Set<ChunkId> removed = new HashSet<>();
            for (StoreFile f : report.removed()) {
                removed.add(f.id());
            }
            assertTrue(removed.containsAll(ids.subList(2, 6)), "the untouched ones went: " + removed);
            for (ChunkId id : touched) {
                assertTrue(pruning.has(id), "a touch that found " + id + " is not undone");
                assertFalse(removed.contains(id));
            }
            assertTrue(touched.contains(ids.get(0)), "touched before the prune began");
            assertEquals(List.of(), server.keys("race", "store/.jcasync-prune"), "the prune's mark is gone");
        }
    }
}
