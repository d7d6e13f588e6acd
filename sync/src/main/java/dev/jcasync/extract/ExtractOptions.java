package dev.jcasync.extract;

import dev.jcasync.seed.Seed;
import dev.jcasync.store.ChunkStore;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * How {@link Assembler} rebuilds a blob.
 *
 * @param concurrency chunks obtained and written at once (network fetches overlap)
 * @param inPlace write into an existing regular file, keeping ranges that already hold the right
 *     chunk; otherwise a regular file is replaced by a temporary file renamed over it when complete
 *     (an interrupted run's temporary file is taken over by the next run). Block devices are always
 *     written in place, streams in order ({@link OutputTarget#at})
 * @param seeds local files that may hold chunks
 * @param seedOutput use an existing output's content as a seed too (as casync does); in place,
 *     chunks that moved within it are copied (a stream is never read)
 * @param cache a local store read before the others, which keeps every chunk fetched from them (or null)
 * @param progress told the number of bytes each time a range of the output is done
 * @param sync make the output durable before the extract returns (fsync; in the default mode before
 *     the rename, so a power cut never leaves OUTPUT torn); off only when something else syncs
 */
public record ExtractOptions(
        int concurrency,
        boolean inPlace,
        List<Seed> seeds,
        boolean seedOutput,
        ChunkStore cache,
        LongConsumer progress,
        boolean sync) {
    public ExtractOptions {
        concurrency = Math.max(1, concurrency);
        seeds = List.copyOf(seeds);
        progress = progress == null ? n -> {} : progress;
    }

    public static ExtractOptions defaults() {
        return new ExtractOptions(
                Math.max(8, Runtime.getRuntime().availableProcessors()), false, List.of(), true, null, null, true);
    }

    public ExtractOptions withConcurrency(int n) {
        return new ExtractOptions(n, inPlace, seeds, seedOutput, cache, progress, sync);
    }

    public ExtractOptions withInPlace(boolean b) {
        return new ExtractOptions(concurrency, b, seeds, seedOutput, cache, progress, sync);
    }

    public ExtractOptions withSeeds(List<Seed> s) {
        return new ExtractOptions(concurrency, inPlace, s, seedOutput, cache, progress, sync);
    }

    public ExtractOptions withSeedOutput(boolean b) {
        return new ExtractOptions(concurrency, inPlace, seeds, b, cache, progress, sync);
    }

    public ExtractOptions withCache(ChunkStore c) {
        return new ExtractOptions(concurrency, inPlace, seeds, seedOutput, c, progress, sync);
    }

    public ExtractOptions withProgress(LongConsumer p) {
        return new ExtractOptions(concurrency, inPlace, seeds, seedOutput, cache, p, sync);
    }

    public ExtractOptions withSync(boolean b) {
        return new ExtractOptions(concurrency, inPlace, seeds, seedOutput, cache, progress, b);
    }
}
