package dev.jcasync.extract;

import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Parallel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reuse what is already in place: where the output holds earlier content (in place, or an
 * interrupted run's temporary file taken over), every place that already holds its chunk is kept
 * and only the others are left to write.
 */
final class KeepInPlace implements Step {
    @Override
    public void run(Extraction job) throws IOException {
        if (job.output.earlierContent() == null) {
            return;
        }
        Parallel.forEach(job.needs.values().iterator(), job.options.concurrency(), need -> {
            List<IndexEntry> toWrite = new ArrayList<>(need.places.size());
            for (IndexEntry place : need.places) {
                byte[] current = job.output.read(place.offset(), place.size());
                if (current != null && job.verifier.holds(need.id, current)) {
                    need.correct = place;
                    job.tallies.keptInPlace(need);
                    job.options.progress().accept(place.size());
                } else {
                    toWrite.add(place);
                }
            }
            need.toWrite = toWrite;
        });
    }
}
