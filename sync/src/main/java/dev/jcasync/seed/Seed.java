package dev.jcasync.seed;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A local file that probably holds chunks of the target (the previous image, the other A/B
 * partition). With an index, the index is a hint only: every range is verified against its id
 * when it is read, so a seed that changed costs the chunks it got wrong, nothing more. Without
 * one ({@code index == null}), the extract chunks the file with the target's parameters and copies
 * what it needs in that same pass.
 */
public record Seed(Path file, BlobIndex index) {
    /** A seed described by an existing index (for example {@code image.caibx} beside {@code image}). */
    public static Seed indexed(Path indexFile, Path file) throws IOException {
        return new Seed(file, IndexReader.read(indexFile));
    }

    /** A seed to be chunked during the extract. */
    public static Seed unindexed(Path file) {
        return new Seed(file, null);
    }

    public boolean isIndexed() {
        return index != null;
    }
}
