package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.extract.ExtractPlan;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.maintain.StoreCoverage;
import dev.jcasync.seed.Seed;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.util.ArrayList;
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
        name = "info",
        mixinStandardHelpOptions = true,
        description = {
            "Describe INDEX: blob size, chunk count, chunk size parameters, digest, distinct chunks.",
            "With --store: how many of its chunks each store holds and their compressed bytes, and exactly",
            "how many bytes an extract would download. With --seed (using the default store unless --store",
            "is given): the download that remains when the seeds are used."
        })
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    SeedOptions seeds;

    @Mixin
    JsonOption json;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            converter = Values.Positive.class,
            description = "Store queries at once (default: ${DEFAULT-VALUE}).")
    int concurrency = ExtractOptions.defaults().concurrency();

    @Parameters(
            index = "0",
            paramLabel = "INDEX",
            description = "Index to describe (.caibx or .caidx file, or http(s) URL).")
    String index;

    @Override
    public Integer call() throws IOException {
        Archives.refuseCatar(index);
        BlobIndex blob = store.readIndex(index);
        Set<ChunkId> distinct = blob.distinctIds();
        Set<ChunkId> zeros = new HashSet<>();
        for (IndexEntry e : blob.distinctEntries()) {
            if (e.id().equals(blob.digest().zeroChunkId(e.size()))) {
                zeros.add(e.id());
            }
        }
        boolean seeded = seeds.given();
        IndexInfo info;
        if (store.stores.isEmpty() && !seeded) {
            info = new IndexInfo(index, blob, distinct.size(), List.of(), null, null, false);
        } else {
            try (OpenStores stores = store.open(index)) {
                List<StoreCoverage> coverage = new ArrayList<>();
                Set<ChunkId> missing = new HashSet<>(distinct);
                missing.removeAll(zeros);
                for (ChunkStore s : stores.list()) {
                    StoreCoverage c = StoreCoverage.of(s, distinct, concurrency);
                    coverage.add(c);
                    missing.removeAll(c.held());
                }
                ExtractPlan plan;
                try (TreeSeeds trees = new TreeSeeds(seeds, null, false, null, w -> {
                    throw new IllegalArgumentException(w);
                })) {
                    // a .caidx's seeds are trees (or archives), encoded with its flags
                    plan = plan(
                            blob, stores.list(), Archives.isArchiveIndexName(index) ? trees.seeds(blob) : seeds.open());
                }
                info = new IndexInfo(index, blob, distinct.size(), coverage, (long) missing.size(), plan, seeded);
            }
        }
        if (json.enabled) {
            info.printJson(spec.commandLine().getOut());
        } else {
            info.printText(spec.commandLine().getOut());
        }
        return 0;
    }

    /** The plan of an extract to a new output (nothing there to reuse), or null if some chunk is nowhere. */
    private ExtractPlan plan(BlobIndex blob, List<ChunkStore> stores, List<Seed> seedList) throws IOException {
        ExtractOptions options =
                ExtractOptions.defaults().withConcurrency(concurrency).withSeeds(seedList);
        try {
            return new Assembler(stores, options).plan(blob);
        } catch (ChunkNotFoundException e) {
            return null;
        }
    }
}
