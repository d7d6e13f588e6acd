package dev.jcasync.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.seed.Seed;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.LocalStore;
import dev.jcasync.testsupport.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extract to a stream: written once, front to back, each chunk fetched once, as the plan says. */
class StreamExtractTest {
    @TempDir
    Path dir;

    byte[] v1;
    byte[] v2;
    LocalStore store;
    BlobIndex v1Index;
    BlobIndex v2Index;

    @BeforeEach
    void setUp() throws IOException {
        byte[] repeated = TestData.random(4, 1 << 20);
        // Repeats far apart (the stash) and near (the window), zero runs, and data both versions share.
        v1 = TestData.concat(
                TestData.random(1, 3 << 20),
                repeated,
                new byte[2 << 20],
                TestData.random(2, 2 << 20),
                repeated,
                TestData.random(6, 300_000),
                repeated);
        v2 = v1.clone();
        System.arraycopy(TestData.random(3, 30_000), 0, v2, 2_000_000, 30_000);
        System.arraycopy(TestData.random(5, 1000), 0, v2, (3 << 20) + 500_000, 1000);
        store = new LocalStore(dir.resolve("store.castr"));
        MakeOptions options = MakeOptions.defaults().withConcurrency(2);
        v1Index = new BlobMaker(options).make(TestData.channel(v1), store).index();
        v2Index = new BlobMaker(options).make(TestData.channel(v2), store).index();
    }

    /** A channel that records each write's size, so order and completeness can be checked. */
    static final class Recorder implements WritableByteChannel {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), 10_000); // short writes, as a pipe may make
            byte[] b = new byte[n];
            src.get(b);
            bytes.write(b, 0, n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private ExtractReport stream(Assembler assembler, Recorder out) throws IOException {
        return assembler.extract(v2Index, OutputTarget.stream("test", out));
    }

    @Test
    void writesTheImageInOrderFetchingEachChunkOnce() throws IOException {
        for (long[] budgets : new long[][] {{64L << 20, 64L << 20}, {300_000, 0}, {1, 200_000}}) {
            Recorder out = new Recorder();
            Assembler assembler = new Assembler(
                            List.of(store), ExtractOptions.defaults().withConcurrency(4))
                    .withStreamBudgets(budgets[0], budgets[1]);
            ExtractReport report = stream(assembler, out);
            assertArrayEquals(v2, out.bytes.toByteArray(), "window " + budgets[0] + ", stash " + budgets[1]);
            long nonZero = v2Index.entries().stream()
                    .filter(e -> !e.id().equals(v2Index.digest().zeroChunkId(e.size())))
                    .map(e -> e.id())
                    .distinct()
                    .count();
            assertEquals(nonZero, report.fromStores().get(0).chunks(), "each chunk fetched once");
            ExtractPlan plan = new Assembler(List.of(store), ExtractOptions.defaults()).plan(v2Index);
            assertEquals(plan.fromStores(), report.fromStores(), "the plan predicted the fetches");
            assertEquals(plan.zeros(), report.zeros());
            assertEquals(plan.repeated(), report.repeated());
            assertTrue(report.repeated().chunks() > 0 && report.zeros().chunks() > 0, report.toString());
        }
    }

    @Test
    void seedsServeAStreamAsTheyServeAFile() throws IOException {
        Path seedFile = Files.write(dir.resolve("v1.img"), v1);
        Files.write(dir.resolve("v1i.img"), v1);
        Files.write(dir.resolve("v1i.img.caibx"), IndexWriter.toBytes(v1Index));
        for (Seed seed :
                List.of(Seed.unindexed(seedFile), Seed.indexed(dir.resolve("v1i.img.caibx"), dir.resolve("v1i.img")))) {
            ExtractOptions options =
                    ExtractOptions.defaults().withConcurrency(3).withSeeds(List.of(seed));
            Recorder out = new Recorder();
            ExtractReport report = new Assembler(List.of(store), options)
                    .withStreamBudgets(500_000, 100_000)
                    .extract(v2Index, OutputTarget.stream("test", out));
            assertArrayEquals(v2, out.bytes.toByteArray());
            ExtractPlan plan = new Assembler(List.of(store), options).plan(v2Index);
            assertTrue(report.fromSeeds().chunks() > 0, report.toString());
            assertEquals(plan.fromSeeds(), report.fromSeeds(), "the plan predicted the copies");
            assertEquals(plan.fromStores(), report.fromStores(), "the plan predicted the fetches");
            ExtractReport toFile =
                    new Assembler(List.of(store), options).extract(v2Index, dir.resolve("out-" + seed.isIndexed()));
            assertEquals(toFile.fromSeeds(), report.fromSeeds(), "a file and a stream use the seeds alike");
        }
    }

    @Test
    void aMissingChunkFailsTheStreamNamingIt() throws IOException {
        LocalStore partial = new LocalStore(dir.resolve("partial.castr"));
        List<ChunkId> ids = new ArrayList<>(
                v2Index.entries().stream().map(e -> e.id()).distinct().toList());
        ChunkId missing = ids.get(ids.size() / 2);
        for (ChunkId id : ids) {
            if (!id.equals(missing) && store.get(id).isPresent()) {
                partial.put(id, store.get(id).get());
            }
        }
        ChunkNotFoundException e = assertThrows(
                ChunkNotFoundException.class,
                () -> stream(new Assembler(List.of(partial), ExtractOptions.defaults()), new Recorder()));
        assertTrue(e.getMessage().contains(missing.toHex()), e.getMessage());
    }

    @Test
    void repeatStashSpillsPastItsBudget() throws IOException {
        List<ChunkId> ids =
                v1Index.entries().stream().map(e -> e.id()).distinct().toList();
        try (RepeatStash stash = new RepeatStash(100)) {
            byte[] a = TestData.random(7, 80);
            byte[] b = TestData.random(8, 80);
            stash.put(ids.get(0), ByteBuffer.wrap(a));
            stash.put(ids.get(1), ByteBuffer.wrap(b)); // over the budget: to the file
            assertArrayEquals(a, stash.get(ids.get(0), 80).array());
            assertArrayEquals(b, stash.get(ids.get(1), 80).array());
            stash.remove(ids.get(0));
            assertThrows(IllegalStateException.class, () -> stash.get(ids.get(0), 80));
        }
    }
}
