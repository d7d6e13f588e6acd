package dev.jcasync.extract;

import dev.jcasync.io.Parallel;
import java.io.IOException;

/**
 * Everything still missing from a random-access output, in parallel: each distinct chunk is
 * obtained once from the first source that has it and written at all its places.
 */
final class FillInParallel implements Step {
    private final ChunkSupplier sources;

    FillInParallel(ChunkSupplier sources) {
        this.sources = sources;
    }

    @Override
    public void run(Extraction job) throws IOException {
        Parallel.forEach(job.needs.values().iterator(), job.options.concurrency(), need -> {
            if (need.claim()) {
                job.writeEverywhere(need, sources.supply(need));
            }
        });
    }
}
