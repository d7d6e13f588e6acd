package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.maintain.PruneReport;
import dev.jcasync.maintain.Pruner;
import dev.jcasync.store.MaintainableStore;
import dev.jcasync.store.StoreFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = {
            "Delete the chunk files of a local store that none of the given indexes references (casync gc).",
            "Safe while makes write to the store: a file modified after the prune started is never deleted,",
            "and make marks every chunk it reuses as modified. --grace extends this to makes that were",
            "already running when the prune started. Temporary files older than an hour (crashed writers)",
            "are deleted too."
        })
class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    JsonOption json;

    @Mixin
    CasyncOptions casync;

    @Mixin
    VerboseOption verbose;
    // casync accepts these for every verb; gc checks them, and they have no effect on it.
    @Mixin
    ChunkSizeOption chunkSize;

    @Mixin
    DigestOption digest;

    @Mixin
    CompressionOption compression;

    @Mixin
    CasyncUnusedOptions unused;

    @Option(
            names = {"-n", "--dry-run"},
            description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = Values.Durations.class,
            description = "Also keep files modified this long before the prune started, e.g. 30m or 2h (default 0): "
                    + "set it to the longest make that may be running.")
    Duration grace = Duration.ZERO;

    @Parameters(
            arity = "1..*",
            paramLabel = "INDEX",
            description = "Indexes whose chunks to keep (.caibx or .caidx files, or http(s) URLs).")
    List<String> indexes;

    @Override
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        for (String index : indexes) {
            Archives.refuseCatar(index);
        }
        try (MaintainableStore target = LocalStoreArg.maintainable(store, indexes.get(0), spec.name())) {
            return prune(target);
        }
    }

    private int prune(MaintainableStore target) throws IOException {
        // Every index is read before anything is deleted: a missing one must not cost its chunks.
        Set<ChunkId> keep = new HashSet<>();
        long references = 0;
        for (String index : indexes) {
            BlobIndex read = store.readIndex(index);
            keep.addAll(read.distinctIds());
            references += read.entries().size();
        }
        if (json.enabled) {
            printJson(target, keep.size(), new Pruner(target).prune(keep, grace, dryRun));
        } else if (casyncOutput()) {
            if (verbose.verbose) {
                spec.commandLine()
                        .getOut()
                        .printf("Chunk store usage: %d references, %d chunks%n", references, keep.size());
                spec.commandLine().getOut().flush();
            }
            printCasync(new Pruner(target).prune(keep, grace, dryRun));
        } else {
            printText(target, new Pruner(target).prune(keep, grace, dryRun));
        }
        return 0;
    }

    /** Whether the text output is casync gc's (the gc command) rather than prune's. */
    boolean casyncOutput() {
        return false;
    }

    /**
     * What casync gc prints: with -v a line per chunk file removed, and the summary when -n or -v
     * is given. jcasync leaves empty prefix directories in place (removing them would race with
     * writers), so it reports 0 directories removed.
     */
    private void printCasync(PruneReport r) {
        PrintWriter out = spec.commandLine().getOut();
        if (verbose.verbose) {
            for (StoreFile f : r.removed()) {
                out.printf(
                        "%s chunk %s.%n",
                        r.dryRun() ? "Would remove" : "Removing",
                        f.name().substring(f.name().lastIndexOf('/') + 1));
            }
        }
        long remaining = r.kept().files() + r.recent().files();
        if (r.dryRun()) {
            out.printf(
                    "Would remove %d chunks, %d chunks remaining.%n",
                    r.removed().size(), remaining);
        } else if (verbose.verbose) {
            out.printf(
                    "Removed %d chunks, %d directories, %d chunks remaining.%n",
                    r.removed().size(), 0, remaining);
        }
        out.flush();
    }

    private void printText(MaintainableStore target, PruneReport r) {
        PrintWriter out = spec.commandLine().getOut();
        String verb = r.dryRun() ? "would remove" : "removed";
        if (r.dryRun()) {
            for (StoreFile f : r.removed()) {
                out.println("would remove " + f.name());
            }
        }
        out.printf(
                "%s %d chunk files (%d bytes); kept %d referenced (%d bytes) and %d unreferenced younger than the cutoff; "
                        + "%s %d stale temporary files%n",
                verb,
                r.removed().size(),
                r.removedBytes(),
                r.kept().files(),
                r.kept().bytes(),
                r.recent().files(),
                verb,
                r.tempFilesRemoved());
        out.flush();
    }

    private void printJson(MaintainableStore target, int referenced, PruneReport r) {
        JsonWriter w = new JsonWriter(spec.commandLine().getOut())
                .beginObject()
                .field("store", LocalStoreArg.display(target))
                .field("dry_run", r.dryRun())
                .field("cutoff", r.cutoff().toInstant().toString())
                .field("referenced_chunks", referenced)
                .field("kept_files", r.kept().files())
                .field("kept_bytes", r.kept().bytes())
                .field("recent_files", r.recent().files())
                .field("recent_bytes", r.recent().bytes())
                .field("removed_files", r.removed().size())
                .field("removed_bytes", r.removedBytes())
                .field("temp_files_removed", r.tempFilesRemoved())
                .name("removed")
                .beginArray();
        for (StoreFile f : r.removed()) {
            w.value(f.name());
        }
        w.endArray().endObject().finish();
    }
}
