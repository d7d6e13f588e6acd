package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.maintain.PruneReport;
import dev.jcasync.maintain.Pruner;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.StoreFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "prune", aliases = "gc", mixinStandardHelpOptions = true,
        description = {"Delete the chunk files of a local store that none of the given indexes references (casync gc).",
                "Safe while makes write to the store: a file modified after the prune started is never deleted,",
                "and make marks every chunk it reuses as modified. --grace extends this to makes that were",
                "already running when the prune started. Temporary files older than an hour (crashed writers)",
                "are deleted too."})
final class PruneCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd]?)");

    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin JsonOption json;

    @Option(names = {"-n", "--dry-run"}, description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "Also keep files modified this long before the prune started, e.g. 30m or 2h (default 0): "
                    + "set it to the longest make that may be running.")
    String grace = "0";

    @Parameters(arity = "1..*", paramLabel = "INDEX", description = "Indexes whose chunks to keep (.caibx files or http(s) URLs).")
    List<String> indexes;

    @Override
    public Integer call() throws IOException {
        Duration keepRecent = parseDuration(grace);
        LocalStore target = LocalStoreArg.of(store, indexes.get(0), "prune");
        // Every index is read before anything is deleted: a missing one must not cost its chunks.
        Set<ChunkId> keep = new HashSet<>();
        for (String index : indexes) {
            keep.addAll(store.readIndex(index).distinctIds());
        }
        PruneReport report = new Pruner(target).prune(keep, keepRecent, dryRun);
        if (json.enabled) {
            printJson(target, keep.size(), report);
        } else {
            printText(target, report);
        }
        return 0;
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--grace=" + text + ": expected a duration such as 0, 90s, 30m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private void printText(LocalStore target, PruneReport r) {
        PrintWriter out = spec.commandLine().getOut();
        String verb = r.dryRun() ? "would remove" : "removed";
        if (r.dryRun()) {
            for (StoreFile f : r.removed()) {
                out.println("would remove " + f.name());
            }
        }
        out.printf("%s %d chunk files (%d bytes); kept %d referenced (%d bytes) and %d unreferenced younger than the cutoff; "
                        + "%s %d stale temporary files%n",
                verb, r.removed().size(), r.removedBytes(), r.kept().files(), r.kept().bytes(), r.recent().files(),
                verb, r.tempFilesRemoved());
        out.flush();
    }

    private void printJson(LocalStore target, int referenced, PruneReport r) {
        JsonWriter w = new JsonWriter(spec.commandLine().getOut()).beginObject()
                .field("store", target.root().toString())
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
                .name("removed").beginArray();
        for (StoreFile f : r.removed()) {
            w.value(f.name());
        }
        w.endArray().endObject().finish();
    }
}
