package dev.jcasync.extract;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.seed.Seed;
import dev.jcasync.seed.SeedChunks;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a blob from its index: each distinct chunk is obtained once, from the cheapest source,
 * verified, and written at every place the index puts it. The work is a pipeline of {@link Step}s:
 * <ol>
 * <li>plan: the distinct chunks and their places ({@link Extraction});
 * <li>{@link KeepInPlace}: ranges of the output that already hold their chunk are kept (in place,
 *     and in an interrupted run's temporary file taken over);
 * <li>{@link MoveWithinOutput}: in place, chunks that moved within the output are copied, each
 *     read before anything is written over it;
 * <li>{@link ScanSeeds}: seeds without an index are chunked with the target's parameters;
 * <li>{@link FillInParallel} (or, for a stream, {@link WriteInOrder}): the rest from the first
 *     {@link ChunkSupplier} that has it: another place of the output, all zeros (made here), seeds
 *     (verified on read), then the stores in order, a cache store first;
 * <li>finish: the output's length, holes, sync and rename ({@link FileOutput}, {@link StreamOutput}).
 * </ol>
 * A plan ({@link #plan}) runs the same steps against a read-only view of the output, locating
 * chunks in the stores instead of fetching them, so it predicts exactly what a run would fetch.
 */
public final class Assembler {
    private final List<ChunkStore> stores;
    private final ExtractOptions options;
    /** Streams: bytes fetched ahead of the write position, and repeated chunks kept in memory (tests make them small). */
    private long streamWindowBytes = WriteInOrder.WINDOW_BYTES;

    private long streamStashBytes = WriteInOrder.STASH_MEMORY_BYTES;

    /** {@code stores} in lookup order; {@code options.cache()}, if set, is looked up before them. */
    public Assembler(List<ChunkStore> stores, ExtractOptions options) {
        List<ChunkStore> all = new ArrayList<>();
        if (options.cache() != null) {
            all.add(options.cache());
        }
        all.addAll(stores);
        this.stores = List.copyOf(all);
        this.options = options;
    }

    /** Smaller stream budgets, for tests. */
    Assembler withStreamBudgets(long windowBytes, long stashMemoryBytes) {
        this.streamWindowBytes = windowBytes;
        this.streamStashBytes = stashMemoryBytes;
        return this;
    }

    /**
     * How far a stream is fetched ahead: enough for every fetcher to have a few of the largest
     * chunks in hand (at least 8 MiB), at most the stream budget. More only holds memory: a fast
     * store fills any window.
     */
    private long windowFor(Extraction job) {
        long perFetcher = 4L * job.index.sizes().max();
        return Math.min(streamWindowBytes, Math.max(8L << 20, options.concurrency() * perFetcher));
    }

    /** Extracts {@code index} to the file or device {@code output}, as {@link OutputTarget#at} resolves it. */
    public ExtractReport extract(BlobIndex index, Path output) throws IOException {
        return extract(index, OutputTarget.at(output, options.inPlace()));
    }

    /** Extracts {@code index} to {@code target}. */
    public ExtractReport extract(BlobIndex index, OutputTarget target) throws IOException {
        long started = System.nanoTime();
        ExtractPlan done = run(index, target, false);
        return done.report(Duration.ofNanos(System.nanoTime() - started), false);
    }

    /** Where every chunk would come from for a new output, and what would be transferred; reads only the seeds and stores. */
    public ExtractPlan plan(BlobIndex index) throws IOException {
        return plan(index, OutputTarget.nowhere());
    }

    /** Where every chunk would come from when extracting to {@code output} ({@link OutputTarget#at}). */
    public ExtractPlan plan(BlobIndex index, Path output) throws IOException {
        return plan(index, OutputTarget.at(output, options.inPlace()));
    }

    /** Where every chunk would come from when extracting to {@code target} (whose content is read, never written). */
    public ExtractPlan plan(BlobIndex index, OutputTarget target) throws IOException {
        return run(index, target, true);
    }

    private ExtractPlan run(BlobIndex index, OutputTarget target, boolean planOnly) throws IOException {
        Extraction job = new Extraction(index, options, stores);
        List<Seed> seeds = seeds(target);
        try (SeedChunks indexedSeeds = new SeedChunks(seeds, job.digest)) {
            ChunkSupplier fromStores =
                    planOnly ? Sources.locate(job, stores) : Sources.fetch(job, stores, options.cache());
            if (target instanceof OutputTarget.Stream stream && !planOnly) {
                writeStream(job, stream, seeds, indexedSeeds, fromStores);
            } else {
                write(job, target, planOnly, seeds, indexedSeeds, fromStores);
            }
        }
        return job.plan();
    }

    /** The seeds given, and an existing file about to be replaced (unless {@code seedOutput} is off). */
    private List<Seed> seeds(OutputTarget target) throws IOException {
        List<Seed> seeds = new ArrayList<>(options.seeds());
        if (options.seedOutput()
                && target instanceof OutputTarget.Replace r
                && Files.isRegularFile(r.file())
                && Files.size(r.file()) > 0) {
            seeds.add(Seed.unindexed(r.file()));
        }
        return seeds;
    }

    private void write(
            Extraction job,
            OutputTarget target,
            boolean planOnly,
            List<Seed> seeds,
            SeedChunks indexedSeeds,
            ChunkSupplier fromStores)
            throws IOException {
        try (FileOutput out = planOnly ? FileOutput.planned(target, options) : FileOutput.open(target, options)) {
            job.output = out;
            try {
                for (Step step : List.of(
                        new KeepInPlace(),
                        new MoveWithinOutput(),
                        new ScanSeeds(seeds, null),
                        new FillInParallel(ChunkSupplier.firstOf(List.of(
                                Sources.outputCopy(job, out),
                                Sources.zeros(job),
                                Sources.seeds(job, indexedSeeds),
                                fromStores))))) {
                    step.run(job);
                }
                out.complete(job.index.blobSize());
            } catch (StoreUnavailableException e) {
                throw out.storeLost(e);
            }
        }
    }

    private void writeStream(
            Extraction job,
            OutputTarget.Stream target,
            List<Seed> seeds,
            SeedChunks indexedSeeds,
            ChunkSupplier fromStores)
            throws IOException {
        try (SeedChunks scannedSeeds = SeedChunks.empty(job.digest);
                StreamOutput out = StreamOutput.open(target, options.sync())) {
            ChunkSupplier sources = ChunkSupplier.firstOf(List.of(
                    Sources.zeros(job),
                    Sources.seeds(job, scannedSeeds),
                    Sources.seeds(job, indexedSeeds),
                    fromStores));
            for (Step step : List.of(
                    new ScanSeeds(seeds, scannedSeeds),
                    new WriteInOrder(out, sources, windowFor(job), streamStashBytes))) {
                step.run(job);
            }
            out.finish();
        }
    }
}
