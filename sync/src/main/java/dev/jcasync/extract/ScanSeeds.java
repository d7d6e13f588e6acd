package dev.jcasync.extract;

import dev.jcasync.seed.Seed;
import dev.jcasync.seed.SeedChunks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Seeds without an index are chunked with the target's parameters, in order. Into a random-access
 * output every needed chunk found is written while it is in memory (no second read or hash); for a
 * stream, which is written in order later, where it was found is noted and it is read (and
 * verified) again when its turn comes.
 */
final class ScanSeeds implements Step {
    private final List<Seed> seeds;
    /** Where found chunks are noted (streams), or null to write them as found. */
    private final SeedChunks notes;

    ScanSeeds(List<Seed> seeds, SeedChunks notes) {
        this.seeds = seeds.stream().filter(s -> !s.isIndexed()).toList();
        this.notes = notes;
    }

    @Override
    public void run(Extraction job) throws IOException {
        for (Seed seed : seeds) {
            job.scan(seed.file(), "seed", (id, data, offset, length, position) -> {
                Need need = job.needs.get(id);
                if (need == null || !need.wantsCopy()) {
                    return; // copied from elsewhere, made locally, or done
                }
                if (notes != null) {
                    notes.note(id, seed.file(), position, length);
                } else if (need.claim()) {
                    job.tallies.fromSeed(need, seed.file().toString());
                    job.writeEverywhere(need, ByteBuffer.wrap(data, offset, length));
                }
            });
        }
    }
}
