package dev.jcasync.cli;

import dev.jcasync.archive.read.DirectoryExtractor;
import dev.jcasync.archive.read.TarExporter;
import dev.jcasync.cli.Values.What;
import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.extract.ExtractReport;
import dev.jcasync.extract.OutputTarget;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.store.LocalStore;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "extract",
        mixinStandardHelpOptions = true,
        description = {
            "Rebuild the blob described by INDEX.caibx into OUTPUT (a file, a block device, or - for",
            "standard output, the default). Chunks come from OUTPUT itself (--in-place), seeds, the cache,",
            "then the stores in order; each is verified against its id and fetched once. A new or regular",
            "OUTPUT appears only when complete, unless --in-place, which rewrites only the ranges that",
            "differ (resumable). A block device is written in place; standard output, a pipe or a",
            "character device in order from its current offset. A symlink is followed."
        })
final class ExtractCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    SeedOptions seeds;

    @Mixin
    JsonOption json;

    @Mixin
    CasyncOptions casync;

    @Mixin
    VerboseOption verbose;
    // casync accepts these for every verb; extract checks them, and they have no effect on it.
    @Mixin
    ChunkSizeOption chunkSize;

    @Mixin
    DigestOption digest;

    @Mixin
    CompressionOption compression;

    @Mixin
    FeatureFlagOptions features;

    @Option(
            names = "--output-format",
            paramLabel = "FORMAT",
            description = "For a .catar/.caidx: directory (the default), or tar (also gnu-tar, desync's name) to "
                    + "write the tree as a POSIX tar to OUTPUT (a file, or - for standard output) instead.")
    String outputFormat;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            converter = Values.Positive.class,
            description = "Chunks fetched and written at once (default: max(8, cores); from local stores only,"
                    + " one per 64 chunks of a smaller image).")
    Integer concurrency;

    @Option(
            names = "--seed-output",
            arity = "1",
            paramLabel = "yes|no",
            converter = Values.YesNo.class,
            description = "Use an existing OUTPUT as a seed (default yes, as casync).")
    boolean seedOutput = true;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Local store read first; keeps every chunk fetched from the other stores.")
    Path cache;

    @Option(
            names = "--in-place",
            description =
                    "Write into OUTPUT directly, keeping ranges that are already right (block devices; resumes an interrupted run).")
    boolean inPlace;

    @Option(
            names = "--no-sync",
            description = "Do not fsync OUTPUT before finishing (faster; a power cut soon after may leave it torn). "
                    + "casync does not sync; jcasync does unless told not to.")
    boolean noSync;

    @Option(
            names = "--dry-run",
            description =
                    "Print where every chunk would come from and the exact download size; fetch and write nothing.")
    boolean dryRun;

    @Option(
            names = "--progress",
            paramLabel = "auto|bar|plain|none",
            converter = Values.ProgressModes.class,
            description =
                    "Progress on stderr: a bar on a terminal (auto), or 'progress DONE TOTAL PERCENT' lines (plain).")
    Progress.Mode progress = Progress.Mode.AUTO;

    @Option(
            names = {"-q", "--quiet"},
            description = "No summary at the end.")
    boolean quiet;

    @Parameters(
            index = "0",
            paramLabel = "INDEX",
            description = "Index to extract (.caibx file or http(s) URL), or a directory archive (.catar, - with"
                    + " --what=archive, .caidx) to extract into the directory OUTPUT.")
    String index;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "OUTPUT",
            description = "File, block device, or - for standard output (the default).")
    String output = "-";

    @Parameters(
            index = "2",
            arity = "0..1",
            paramLabel = "PATH",
            description = "With a directory archive: extract only the file or directory at PATH in the archive,"
                    + " under its own name inside OUTPUT (casync's subtree path).")
    String subtree;

    @Override
    @SuppressWarnings("try") // bar.close() before the summary; a second close (by try) is a no-op
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        Archives.checkWhatReading(spec, casync.what, EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX, What.BLOB_INDEX));
        features.validate(); // accepted as casync does; a blob is rebuilt the same whatever they say
        // casync tells the kinds by name (a blob index may carry --with flags too); standard input
        // going to an existing directory is an archive.
        if (ArchiveInput.isArchive(index, casync.what)
                || (casync.what == null
                        && "-".equals(index)
                        && !"-".equals(output)
                        && Files.isDirectory(Path.of(output)))) {
            return extractArchive();
        }
        if (subtree != null) {
            throw new IllegalArgumentException(
                    index + ": a subtree path (" + subtree + ") applies to directory archives only, as in casync");
        }
        BlobIndex blob = store.readIndex(index);
        OutputTarget target =
                "-".equals(output) ? OutputTarget.standardOutput() : OutputTarget.at(Path.of(output), inPlace);
        // The image goes to standard output: the report must not.
        boolean stdoutTaken = !dryRun && target instanceof OutputTarget.Stream s && s.isStandardOutput();
        PrintWriter reportOut =
                stdoutTaken ? spec.commandLine().getErr() : spec.commandLine().getOut();
        try (OpenStores stores = CasyncStores.open(store, casync, index);
                Progress bar = new Progress(
                        dryRun ? Progress.Mode.NONE : progress,
                        blob.blobSize(),
                        spec.commandLine().getErr())) {
            ExtractOptions options = ExtractOptions.defaults()
                    .withConcurrency(concurrency != null ? concurrency : concurrencyFor(blob, stores))
                    .withInPlace(inPlace)
                    .withSeeds(seeds.open(casync::warn))
                    .withSeedOutput(seedOutput)
                    .withSync(!noSync)
                    .withCache(cache == null ? null : new LocalStore(cache))
                    .withProgress(bar);
            Assembler assembler = new Assembler(stores.list(), options);
            long started = System.nanoTime();
            ExtractReport report = dryRun
                    ? assembler.plan(blob, target).report(Duration.ofNanos(System.nanoTime() - started), true)
                    : assembler.extract(blob, target);
            bar.close(); // the last progress line before the summary
            if (json.enabled) {
                ReportPrinter.printJson(report, index, output, reportOut);
            } else if (dryRun) {
                ReportPrinter.print(report, reportOut);
            } else if (!quiet) {
                ReportPrinter.print(report, spec.commandLine().getErr());
            }
        }
        return 0;
    }

    /**
     * Threads sized from the job: from local stores one per core at most, fewer for a small image
     * (reading a local chunk does not wait for a network, so more threads than cores only contend:
     * a 1 GiB extract on 2 cores took 2.30 s with 8 threads, 1.96 s with 2, medians of 5, and 40 MiB
     * less memory); remote stores keep the default, which overlaps fetches. A local store on a slow
     * disk with a cold cache may want more: --concurrency.
     */
    static int concurrencyFor(BlobIndex blob, OpenStores stores) {
        if (!stores.list().stream().allMatch(s -> s instanceof LocalStore)) {
            return ExtractOptions.defaults().concurrency();
        }
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        return Math.min(cores, Math.max(2, blob.distinctEntries().size() / 64));
    }

    /** A .catar or .caidx into the directory OUTPUT (docs/catar.md 10.5). */
    private int extractArchive() throws IOException {
        boolean tar = tarOutput();
        if (tar && subtree != null) {
            throw new IllegalArgumentException(
                    index + ": a subtree path (" + subtree + ") is not taken with --output-format=tar");
        }
        if ("-".equals(output) && !tar) {
            throw new IllegalArgumentException(
                    index + ": a directory archive is extracted into a directory: jcasync extract " + index + " DIR");
        }
        if (inPlace || dryRun) {
            throw new IllegalArgumentException(
                    index + ": --in-place and --dry-run apply to blob indexes, not to directory archives");
        }
        What what = casync.what != null ? casync.what : ("-".equals(index) ? What.ARCHIVE : null);
        ExtractOptions options = ExtractOptions.defaults()
                .withConcurrency(
                        concurrency != null
                                ? concurrency
                                : ExtractOptions.defaults().concurrency())
                .withSync(false)
                .withCache(cache == null ? null : new LocalStore(cache));
        ExtractReport report;
        try (TreeSeeds treeSeeds = new TreeSeeds(seeds, Path.of(output), seedOutput && !tar, casync, casync::warn);
                ArchiveInput in = ArchiveInput.open(index, what, store, casync, options, treeSeeds)) {
            if (!tar) {
                DirectoryExtractor extractor = new DirectoryExtractor(
                        Path.of(output), casync::warn, DirectoryArchive.extractOptions(features, casync));
                boolean hardlink = Boolean.TRUE.equals(casync.hardlink);
                boolean reflink = Boolean.TRUE.equals(casync.reflink);
                if (hardlink || reflink) {
                    extractor.reuseFrom(treeSeeds.directories(), hardlink, reflink);
                }
                extractor.extract(in.reader, in.name, subtree);
                if ((hardlink || reflink) && !quiet && !json.enabled) {
                    spec.commandLine()
                            .getErr()
                            .printf(
                                    "files from seed trees: %d hard-linked or kept, %d %s%n",
                                    extractor.hardlinked(),
                                    extractor.cloned(),
                                    reflink ? "cloned (copied where the file system cannot clone)" : "copied");
                }
            } else if ("-".equals(output)) {
                OutputStream out = new FileOutputStream(FileDescriptor.out);
                new TarExporter(casync::warn).export(in.reader, in.name, out);
                out.flush();
            } else {
                Path target = Path.of(output);
                Path temp = AtomicFile.tempBeside(target);
                try {
                    try (OutputStream out = new BufferedOutputStream(
                            Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW), 1 << 16)) {
                        new TarExporter(casync::warn).export(in.reader, in.name, out);
                    }
                    AtomicFile.commit(temp, target);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            report = in.report();
        }
        if (report != null) { // a .caidx: where its chunks came from, as for a blob
            PrintWriter reportTo = tar && "-".equals(output)
                    ? spec.commandLine().getErr()
                    : spec.commandLine().getOut();
            if (json.enabled) {
                ReportPrinter.printJson(report, index, output, reportTo);
            } else if (!quiet) {
                ReportPrinter.print(report, spec.commandLine().getErr());
            }
        }
        return 0;
    }

    private boolean tarOutput() {
        if (outputFormat == null || outputFormat.equals("directory") || outputFormat.equals("disk")) {
            return false;
        }
        if (outputFormat.equals("tar") || outputFormat.equals("gnu-tar")) {
            return true;
        }
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "--output-format=" + outputFormat + ": unknown (directory or tar)");
    }
}
