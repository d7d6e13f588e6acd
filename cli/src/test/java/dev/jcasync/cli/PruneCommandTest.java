package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.StoreFile;
import dev.jcasync.vectors.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jcasync prune}: exactly the referenced chunks survive, and nothing a concurrent make relies on goes. */
class PruneCommandTest {
    @TempDir
    Path dir;

    Path store;
    Path a;
    Path b;
    Path c;
    byte[] dataA;

    /** Three overlapping images in one store: two made by casync, one by jcasync. */
    @BeforeEach
    void storeWithThreeIndexes() throws Exception {
        store = dir.resolve("store.castr");
        dataA = TestData.mixed(1, 6 << 20);
        byte[] dataB = dataA.clone();
        System.arraycopy(TestData.random(2, 1 << 20), 0, dataB, 2 << 20, 1 << 20);
        byte[] dataC = TestData.random(3, 2 << 20);
        a = dir.resolve("a.caibx");
        b = dir.resolve("b.caibx");
        c = dir.resolve("c.caibx");
        Casync.run("make", "--store=" + store, a, TestData.write(dir, "a.img", dataA));
        Casync.run("make", "--store=" + store, b, TestData.write(dir, "b.img", dataB));
        Cli.run("make", "--store=" + store, c, TestData.write(dir, "c.img", dataC))
                .assertOk();
        Thread.sleep(50); // past the file system clock's tick: every chunk is older than a prune started now
    }

    private Set<ChunkId> held() throws Exception {
        return StoreAudit.audit(store, DigestAlgorithm.SHA512_256);
    }

    @Test
    void keepsExactlyTheReferencedChunks() throws Exception {
        Set<ChunkId> before = held();
        assertEquals(Inspect.ids(a, b, c), before);
        Cli.Run run = Cli.run("prune", "--store=" + store, a, c).assertOk();
        assertEquals(Inspect.ids(a, c), held());
        Set<ChunkId> gone = new HashSet<>(before);
        gone.removeAll(Inspect.ids(a, c));
        assertTrue(run.out().startsWith("removed " + gone.size() + " chunk files"), run.out());
        Casync.run("extract", "--store=" + store, a, dir.resolve("out"));
        assertArrayEquals(dataA, Files.readAllBytes(dir.resolve("out")));
    }

    @Test
    void dryRunListsExactlyWhatAPruneDeletes() throws Exception {
        Set<ChunkId> before = held();
        Cli.Run dry = Cli.run("prune", "-n", "--store=" + store, b).assertOk();
        assertEquals(before, held(), "a dry run deletes nothing");
        Set<String> listed = dry.out()
                .lines()
                .filter(l -> l.startsWith("would remove ") && l.endsWith(".cacnk"))
                .map(l -> l.substring("would remove ".length()))
                .collect(Collectors.toSet());

        Map<String, Object> j = Inspect.json(Cli.run("prune", "--json", "--store=" + store, b));
        Set<String> removed =
                Json.array(j.get("removed")).stream().map(String.class::cast).collect(Collectors.toSet());
        assertEquals(listed, removed);
        Set<ChunkId> expected = new HashSet<>(before);
        expected.removeAll(Inspect.ids(b));
        assertEquals(
                expected.stream()
                        .map(id -> id.prefix() + "/" + id.toHex() + ".cacnk")
                        .collect(Collectors.toSet()),
                removed);
        assertEquals(false, j.get("dry_run"));
        assertEquals((long) Inspect.ids(b).size(), Inspect.number(j, "referenced_chunks"));
        assertEquals((long) Inspect.ids(b).size(), Inspect.number(j, "kept_files"));
        assertEquals((long) removed.size(), Inspect.number(j, "removed_files"));
        assertEquals(Inspect.ids(b), held());
    }

    @Test
    void anUnreadableIndexStopsThePruneBeforeAnyDeletion() throws Exception {
        Set<ChunkId> before = held();
        Path broken = Files.write(dir.resolve("broken.caibx"), new byte[] {1, 2, 3});
        Cli.Run run = Cli.run("prune", "--store=" + store, a, broken, dir.resolve("absent.caibx"));
        assertEquals(1, run.exitCode());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(run.err().startsWith("jcasync: ") && run.err().contains("broken.caibx"), run.err());
        assertEquals(before, held());
        Cli.Run usage = Cli.run("prune", "--store=" + store);
        assertEquals(2, usage.exitCode(), "at least one index: a prune without any would empty the store");
    }

    @Test
    void graceKeepsRecentChunks() throws Exception {
        Set<ChunkId> before = held();
        Map<String, Object> j = Inspect.json(Cli.run("prune", "--json", "--grace=1h", "--store=" + store, a));
        assertEquals(before, held());
        assertEquals((long) (before.size() - Inspect.ids(a).size()), Inspect.number(j, "recent_files"));
        Cli.Run bad = Cli.run("prune", "--grace=soon", "--store=" + store, a);
        assertEquals(2, bad.exitCode(), "a bad value is a usage error");
        assertEquals(
                List.of("jcasync: --grace=soon: expected a duration such as 0, 90s, 30m, 2h or 1d"), bad.errLines());
    }

    /**
     * A make of image A into the store while a prune that keeps only C deletes A's chunks: whatever
     * the make reuses or writes after the prune started must survive, so its new index extracts.
     */
    @Test
    void aMakeRunningDuringThePruneKeepsEveryChunkItUses() throws Exception {
        // Many small chunks so that the prune takes a while.
        Path big = TestData.write(dir, "big.img", TestData.random(9, 16 << 20));
        Cli.run("make", "--store=" + store, "--chunk-size=2K:4K:8K", dir.resolve("old.caibx"), big)
                .assertOk();
        Thread.sleep(50);
        long total = chunkFiles();
        CompletableFuture<Cli.Run> prune =
                CompletableFuture.supplyAsync(() -> Cli.run("prune", "--json", "--store=" + store, c));
        waitForFirstDeletion(total, prune);
        Cli.Run make = Cli.run("make", "--store=" + store, "--chunk-size=2K:4K:8K", dir.resolve("new.caibx"), big)
                .assertOk();
        Map<String, Object> report = Inspect.json(prune.get());
        System.out.println("prune during make: removed " + report.get("removed_files") + ", kept as recent "
                + report.get("recent_files"));
        assertEquals(64, make.out().strip().length(), "make printed the blob digest");
        Set<ChunkId> held = held();
        assertTrue(held.containsAll(Inspect.ids(dir.resolve("new.caibx"))), "every chunk of the new index survived");
        Cli.run("extract", "--store=" + store, dir.resolve("new.caibx"), dir.resolve("out"))
                .assertOk();
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(dir.resolve("out")));
    }

    private long chunkFiles() throws Exception {
        try (Stream<StoreFile> files = new LocalStore(store).files()) {
            return files.count();
        }
    }

    private void waitForFirstDeletion(long total, CompletableFuture<Cli.Run> prune) throws Exception {
        while (!prune.isDone()) {
            if (chunkFiles() < total) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(
                "the prune ended before it could be observed: " + prune.get().out());
    }
}
