package dev.jcasync.cli;

import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.extract.ExtractReport;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Rebuild the blob described by INDEX.caibx into OUTPUT.",
                "Chunks come from OUTPUT itself (--in-place), seeds, the cache, then the stores in order;",
                "each is verified against its id and fetched once. OUTPUT appears only when complete,",
                "unless --in-place, which rewrites only the ranges that differ (resumable)."})
final class ExtractCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin SeedOptions seeds;
    @Mixin JsonOption json;
    @Mixin FeatureFlagOptions features;

    @Option(names = "--concurrency", paramLabel = "N", description = "Chunks fetched and written at once (default: ${DEFAULT-VALUE}).")
    int concurrency = ExtractOptions.defaults().concurrency();

    @Option(names = "--seed-output", paramLabel = "yes|no", description = "Use an existing OUTPUT as a seed (default yes, as casync).")
    String seedOutput = "yes";

    boolean seedOutput() {
        return switch (seedOutput) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new IllegalArgumentException("--seed-output=" + seedOutput + ": expected yes or no");
        };
    }

    @Option(names = "--cache", paramLabel = "DIR", description = "Local store read first; keeps every chunk fetched from the other stores.")
    Path cache;

    @Option(names = "--in-place", description = "Write into OUTPUT directly, keeping ranges that are already right (block devices; resumes an interrupted run).")
    boolean inPlace;

    @Option(names = "--no-sync", description = "Do not fsync OUTPUT before finishing (faster; a power cut soon after may leave it torn). "
            + "casync does not sync; jcasync does unless told not to.")
    boolean noSync;

    @Option(names = "--dry-run", description = "Print where every chunk would come from and the exact download size; fetch and write nothing.")
    boolean dryRun;

    @Option(names = "--progress", paramLabel = "auto|bar|plain|none", description = "Progress on stderr: a bar on a terminal (auto), or 'progress DONE TOTAL PERCENT' lines (plain).")
    String progress = "auto";

    @Option(names = {"-q", "--quiet"}, description = "No summary at the end.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index to extract (.caibx file or http(s) URL).")
    String index;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "File or block device to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        features.validate(); // accepted as casync does; a blob is rebuilt the same whatever they say
        ConcurrencyOption.check(concurrency);
        BlobIndex blob = store.readIndex(index);
        try (OpenStores stores = store.open(index);
                Progress bar = new Progress(dryRun ? "none" : progress, blob.blobSize(), spec.commandLine().getErr())) {
            ExtractOptions options = ExtractOptions.defaults()
                    .withConcurrency(concurrency)
                    .withInPlace(inPlace)
                    .withSeeds(seeds.open())
                    .withSeedOutput(seedOutput())
                    .withSync(!noSync)
                    .withCache(cache == null ? null : new LocalStore(cache))
                    .withProgress(bar);
            Assembler assembler = new Assembler(stores.list(), options);
            ExtractReport report = dryRun ? assembler.plan(blob, output) : assembler.extract(blob, output);
            bar.close(); // the last progress line before the summary
            if (json.enabled) {
                ReportPrinter.printJson(report, index, output.toString(), spec.commandLine().getOut());
            } else if (dryRun) {
                ReportPrinter.print(report, spec.commandLine().getOut());
            } else if (!quiet) {
                ReportPrinter.print(report, spec.commandLine().getErr());
            }
        }
        return 0;
    }
}
