package dev.jcasync.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.seed.Seed;
import dev.jcasync.store.LocalStore;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeds: what they hold is copied instead of fetched, and what they got wrong costs a fetch, not the run. */
class SeedExtractTest {
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
        v1 = TestData.concat(TestData.random(1, 3 << 20), repeated, TestData.random(2, 2 << 20), repeated);
        v2 = v1.clone();
        System.arraycopy(TestData.random(3, 30_000), 0, v2, 2_000_000, 30_000); // one edit
        System.arraycopy(TestData.random(5, 1000), 0, v2, (3 << 20) + 500_000, 1000); // in the first copy only
        store = new LocalStore(dir.resolve("store.castr"));
        MakeOptions options = MakeOptions.defaults().withConcurrency(2);
        v1Index = new BlobMaker(options).make(TestData.channel(v1), store).index();
        v2Index = new BlobMaker(options).make(TestData.channel(v2), store).index();
    }

    private Set<String> ids(BlobIndex index) {
        return index.entries().stream().map(e -> e.id().toHex()).collect(Collectors.toSet());
    }

    private ExtractReport extract(Seed seed, Path out) throws IOException {
        return new Assembler(
                        List.of(store),
                        ExtractOptions.defaults().withConcurrency(3).withSeeds(List.of(seed)))
                .extract(v2Index, out);
    }

    @Test
    void unindexedSeedIsChunkedAndCopiedInOnePass() throws IOException {
        Path seed = Files.write(dir.resolve("v1.img"), v1);
        ExtractReport report = extract(Seed.unindexed(seed), dir.resolve("out"));
        assertArrayEquals(v2, Files.readAllBytes(dir.resolve("out")));
        Set<String> missing = ids(v2Index);
        missing.removeAll(ids(v1Index));
        assertEquals(
                missing.size(), report.fromStores().get(0).chunks(), "only the chunks v1 lacks come from the store");
        assertEquals(ids(v2Index).size() - missing.size(), report.fromSeeds().chunks());
    }

    @Test
    void indexedSeedThatChangedCostsOnlyTheChangedChunks() throws IOException {
        Path seed = Files.write(dir.resolve("v1.img"), v1);
        Path seedIndex = dir.resolve("v1.img.caibx");
        Files.write(seedIndex, IndexWriter.toBytes(v1Index));
        // The seed changes after it was indexed: two of its chunks no longer hold what the index says.
        byte[] changed = v1.clone();
        // Two chunks that occur once in v1, so the seed has no other good copy of them.
        List<IndexEntry> once = v1Index.entries().stream()
                .filter(e -> v1Index.entries().stream()
                                .filter(o -> o.id().equals(e.id()))
                                .count()
                        == 1)
                .toList();
        IndexEntry a = once.get(1);
        IndexEntry b = once.get(once.size() - 2);
        changed[(int) a.offset() + 5] ^= 1;
        changed[(int) b.offset() + 5] ^= 1;
        Files.write(seed, changed);

        ExtractReport report = extract(Seed.indexed(seedIndex, seed), dir.resolve("out"));
        assertArrayEquals(v2, Files.readAllBytes(dir.resolve("out")));
        Set<String> missing = ids(v2Index);
        missing.removeAll(ids(v1Index));
        long brokenAndNeeded = Set.of(a.id().toHex(), b.id().toHex()).stream()
                .filter(ids(v2Index)::contains)
                .count();
        assertTrue(brokenAndNeeded > 0);
        assertEquals(
                missing.size() + brokenAndNeeded,
                report.fromStores().get(0).chunks(),
                "the store supplies what v1 lacks plus what the changed seed got wrong");
    }

    @Test
    void truncatedSeedIsNoProblem() throws IOException {
        Path seed = Files.write(dir.resolve("v1.img"), java.util.Arrays.copyOf(v1, 1_000_000));
        Files.write(dir.resolve("v1.img.caibx"), IndexWriter.toBytes(v1Index));
        extract(Seed.indexed(dir.resolve("v1.img.caibx"), seed), dir.resolve("out"));
        assertArrayEquals(v2, Files.readAllBytes(dir.resolve("out")));
        extract(Seed.unindexed(seed), dir.resolve("out2"));
        assertArrayEquals(v2, Files.readAllBytes(dir.resolve("out2")));
    }

    /** Every byte of the output is accounted for exactly once, whatever mix of sources served it. */
    private static void assertAccountsForEveryByte(ExtractReport r) {
        long total = r.inPlace().bytes()
                + r.fromSeeds().bytes()
                + r.repeated().bytes()
                + r.zeros().bytes()
                + r.fromStores().stream()
                        .mapToLong(ExtractReport.StoreTally::bytes)
                        .sum();
        assertEquals(r.blobSize(), total, "bytes by source: " + r);
    }

    @Test
    void inPlaceWithSeedAccountsForEveryByte() throws IOException {
        Path out = Files.write(dir.resolve("device.img"), v1); // the device holds the old version
        Path seed = Files.write(dir.resolve("v1.img"), v1);
        ExtractOptions options =
                ExtractOptions.defaults().withConcurrency(3).withInPlace(true).withSeeds(List.of(Seed.unindexed(seed)));
        ExtractReport report = new Assembler(List.of(store), options).extract(v2Index, out);
        assertArrayEquals(v2, Files.readAllBytes(out));
        assertTrue(report.inPlace().chunks() > 0, "unchanged ranges stay in place");
        assertAccountsForEveryByte(report);

        ExtractReport again = new Assembler(List.of(store), options).extract(v2Index, out);
        assertEquals(
                v2Index.entries().size(), again.inPlace().chunks(), "a finished in-place run leaves nothing to do");
        assertAccountsForEveryByte(again);
    }

    @Test
    void defaultModeAccountsForEveryByte() throws IOException {
        Path seed = Files.write(dir.resolve("v1.img"), v1);
        assertAccountsForEveryByte(extract(Seed.unindexed(seed), dir.resolve("out")));
        assertAccountsForEveryByte(new Assembler(List.of(store), ExtractOptions.defaults())
                .plan(v2Index)
                .report(Duration.ZERO, true));
    }

    @Test
    void inPlaceRepairOfOneCopyOfARepeatedChunk() throws IOException {
        // The device holds v1, but one copy of a repeated chunk is damaged; the other copy is intact.
        byte[] damaged = v1.clone();
        damaged[(3 << 20) + 500_000] ^= 1;
        Path out = Files.write(dir.resolve("device.img"), damaged);
        Path seed = Files.write(dir.resolve("v1.img"), v1);
        ExtractOptions options =
                ExtractOptions.defaults().withConcurrency(3).withInPlace(true).withSeeds(List.of(Seed.unindexed(seed)));
        ExtractReport report = new Assembler(List.of(store), options).extract(v1Index, out);
        assertArrayEquals(v1, Files.readAllBytes(out));
        assertEquals(0, report.fromSeeds().chunks(), "the damaged copy is rewritten from the intact one in the output");
        assertEquals(1, report.repeated().chunks());
        assertAccountsForEveryByte(report);
    }

    @Test
    void inPlaceCopiesDataThatMovedWithinTheOutput() throws IOException {
        // The new version is the old one with its first 700,000 bytes cut: everything after moved.
        byte[] target = java.util.Arrays.copyOfRange(v1, 700_000, v1.length);
        BlobIndex index = new BlobMaker(MakeOptions.defaults())
                .make(TestData.channel(target), store)
                .index();
        Path out = Files.write(dir.resolve("device.img"), v1);
        ExtractReport report = new Assembler(
                        List.of(store),
                        ExtractOptions.defaults().withConcurrency(3).withInPlace(true))
                .extract(index, out);
        assertArrayEquals(target, Files.readAllBytes(out));
        Set<String> notInOld = ids(index);
        notInOld.removeAll(ids(v1Index));
        // Moving towards the start, each chunk is read before anything is written over it.
        assertEquals(
                notInOld.size(), report.fromStores().get(0).chunks(), "only chunks the old content lacks are fetched");
        assertTrue(report.fromSeeds().chunks() > 0);
        assertAccountsForEveryByte(report);

        ExtractOptions noSeed = ExtractOptions.defaults().withInPlace(true).withSeedOutput(false);
        Files.write(out, v1);
        ExtractReport without = new Assembler(List.of(store), noSeed).extract(index, out);
        assertArrayEquals(target, Files.readAllBytes(out));
        assertEquals(0, without.fromSeeds().chunks(), "--seed-output=no: the old content is not scanned");
    }

    @Test
    void inPlaceReadsMovedDataBeforeWritingOverIt() throws IOException {
        // Old: A B. New: B A (a cycle: each half goes where the other was), and A B shifted right
        // (every copy lands on a source not yet copied). Each chunk of the old content is read
        // before it is written over, so only chunks the old content lacks are fetched, and the
        // dry run says so beforehand.
        byte[] a = TestData.random(11, 3 << 20);
        byte[] b = TestData.random(12, 3 << 20);
        byte[] old = TestData.concat(a, b);
        BlobIndex oldIndex = new BlobMaker(MakeOptions.defaults())
                .make(TestData.channel(old), store)
                .index();
        for (byte[] target : List.of(TestData.concat(b, a), TestData.concat(TestData.random(13, 1_500_000), a, b))) {
            BlobIndex index = new BlobMaker(MakeOptions.defaults())
                    .make(TestData.channel(target), store)
                    .index();
            Path out = Files.write(dir.resolve("device.img"), old);
            Assembler assembler = new Assembler(
                    List.of(store), ExtractOptions.defaults().withConcurrency(3).withInPlace(true));
            ExtractPlan plan = assembler.plan(index, out);
            ExtractReport report = assembler.extract(index, out);
            assertArrayEquals(target, Files.readAllBytes(out));
            assertAccountsForEveryByte(report);
            Set<String> notInOld = ids(index);
            notInOld.removeAll(ids(oldIndex));
            assertEquals(
                    notInOld.size(),
                    report.fromStores().get(0).chunks(),
                    "only chunks the old content lacks are fetched");
            assertEquals(plan.fromSeeds(), report.fromSeeds(), "the dry run predicted the copies");
            assertEquals(plan.fromStores(), report.fromStores(), "the dry run predicted the fetches");
        }
    }
}
