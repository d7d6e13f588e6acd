package dev.jcasync.maintain;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.MaintainableStore;
import dev.jcasync.store.StoreFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Deletes the chunk files of a store that no given index references (casync's {@code gc},
 * desync's {@code prune}).
 *
 * <p>Safe against writers running at the same time: only files last modified and changed before
 * the prune started (minus an optional grace period) are deleted. A chunk a writer stores after
 * that is new; one it finds already present is touched (see {@link dev.jcasync.store.ChunkWriter});
 * either way it is younger than the cutoff and kept, and a touch that races with the deletion wins
 * ({@link MaintainableStore#removeIfIdleSince}). What a writer handled before the cutoff is not
 * protected: a grace period as long as the longest make covers makes already running when the
 * prune starts.
 */
public final class Pruner {
    /** A temporary file this old is a crashed writer's leftover, not a running writer's. */
    public static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
    /** Unreferenced files handed to the store at once ({@link MaintainableStore#removeAllIfIdleSince}). */
    static final int REMOVE_BATCH = 1000;

    private final MaintainableStore store;

    public Pruner(MaintainableStore store) {
        this.store = store;
    }

    /** Prunes everything but {@code keep}, sparing files modified within {@code grace} before now. */
    public PruneReport prune(Set<ChunkId> keep, Duration grace, boolean dryRun) throws IOException {
        return prune(keep, startTime(dryRun).minus(grace), dryRun);
    }

    /** The current time by the store's own clock; a read-only store (dry run) falls back to this host's clock. */
    private Instant startTime(boolean dryRun) throws IOException {
        try {
            return store.now();
        } catch (IOException e) {
            if (dryRun) {
                return Instant.now();
            }
            throw e;
        }
    }

    /**
     * Removes the idle ones of {@code batch} (which it empties), adding them to {@code removed};
     * returns {removed bytes, files kept as recent, their bytes}.
     */
    private long[] removeBatch(Map<StoreFile, Long> batch, Instant cutoff, List<StoreFile> removed) throws IOException {
        List<StoreFile> gone = store.removeAllIfIdleSince(new ArrayList<>(batch.keySet()), cutoff);
        long removedBytes = 0;
        for (StoreFile f : gone) {
            removedBytes += batch.remove(f);
            removed.add(f);
        }
        long recentBytes = 0;
        for (long size : batch.values()) {
            recentBytes += size;
        }
        long[] counts = {removedBytes, batch.size(), recentBytes};
        batch.clear();
        return counts;
    }

    /** Prunes everything but {@code keep} that was last modified before {@code cutoff}. */
    public PruneReport prune(Set<ChunkId> keep, Instant cutoff, boolean dryRun) throws IOException {
        if (dryRun) {
            return pruneNow(keep, cutoff, true);
        }
        Closeable running = store.beginPrune();
        PruneReport report;
        try {
            report = pruneNow(keep, cutoff, false);
        } catch (IOException | RuntimeException e) {
            try {
                running.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        running.close(); // writers go on
        return report;
    }

    private PruneReport pruneNow(Set<ChunkId> keep, Instant cutoff, boolean dryRun) throws IOException {
        long keptFiles = 0;
        long keptBytes = 0;
        long recentFiles = 0;
        long recentBytes = 0;
        long removedBytes = 0;
        List<StoreFile> removed = new ArrayList<>();
        // Unreferenced files are deleted in batches (one request for many on S3); a dry run only looks.
        Map<StoreFile, Long> batch = new LinkedHashMap<>();
        try (Stream<StoreFile> files = store.files()) {
            for (Iterator<StoreFile> it = files.iterator(); it.hasNext(); ) {
                StoreFile f = it.next();
                long size = store.size(f);
                if (size < 0) {
                    continue; // removed meanwhile (by another prune)
                }
                if (keep.contains(f.id())) {
                    keptFiles++;
                    keptBytes += size;
                } else if (dryRun) {
                    if (store.idleSince(f, cutoff)) {
                        removed.add(f);
                        removedBytes += size;
                    } else {
                        recentFiles++;
                        recentBytes += size;
                    }
                } else {
                    batch.put(f, size);
                    if (batch.size() >= REMOVE_BATCH) {
                        long[] counts = removeBatch(batch, cutoff, removed);
                        removedBytes += counts[0];
                        recentFiles += counts[1];
                        recentBytes += counts[2];
                    }
                }
            }
            if (!batch.isEmpty()) {
                long[] counts = removeBatch(batch, cutoff, removed);
                removedBytes += counts[0];
                recentFiles += counts[1];
                recentBytes += counts[2];
            }
        }
        long temps = store.removeTempFiles(cutoff.minus(STALE_TEMP_AGE), dryRun);
        removed.sort(Comparator.comparing(StoreFile::name));
        return new PruneReport(
                FileTime.from(cutoff),
                dryRun,
                new PruneReport.Count(keptFiles, keptBytes),
                removed,
                removedBytes,
                new PruneReport.Count(recentFiles, recentBytes),
                temps);
    }
}
