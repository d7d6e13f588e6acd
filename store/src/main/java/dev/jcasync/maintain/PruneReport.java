package dev.jcasync.maintain;

import dev.jcasync.store.StoreFile;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * What a prune did (or, in a dry run, would do), counted in chunk files.
 *
 * @param cutoff files modified or changed at or after this time were kept whatever they hold
 * @param kept files of referenced chunks, and their bytes
 * @param removed unreferenced files deleted (in a dry run: that would be deleted), sorted by path
 * @param recent unreferenced files kept because they are younger than the cutoff (a writer's)
 * @param tempFilesRemoved temporary files left behind by crashed writers, deleted
 */
public record PruneReport(
        FileTime cutoff,
        boolean dryRun,
        Count kept,
        List<StoreFile> removed,
        long removedBytes,
        Count recent,
        long tempFilesRemoved) {
    public record Count(long files, long bytes) {}
}
