package dev.jcasync.cli;

import dev.jcasync.seed.Seed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** {@code --seed} and {@code --seed-dir}: local data that may hold chunks. */
final class SeedOptions {
    @Option(
            names = "--seed",
            paramLabel = "PATH|INDEX:PATH",
            description =
                    "A file or block device holding some chunks (repeatable). Its index is used if given "
                            + "as INDEX:PATH or found at PATH.caibx; otherwise it is chunked like the target. Seed data is verified before use.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--seed-dir", paramLabel = "DIR", description = "Every file in DIR is a seed (repeatable).")
    List<Path> seedDirs = new ArrayList<>();

    /** Whether any seed was given. */
    boolean given() {
        return !seeds.isEmpty() || !seedDirs.isEmpty();
    }

    /** Opens every seed; files without an index will be chunked with the target index's parameters. */
    List<Seed> open() throws IOException {
        return open((Consumer<String>) null);
    }

    /**
     * {@link #open()}, but a {@code --seed} that does not exist is skipped with a warning to
     * {@code warn} instead of failing, as casync does ("Failed to add seed ..., ignoring").
     */
    List<Seed> open(Consumer<String> warn) throws IOException {
        List<Seed> result = new ArrayList<>();
        for (String spec : seeds) {
            int colon = spec.indexOf(".caibx:");
            Path data = Path.of(colon >= 0 ? spec.substring(colon + ".caibx:".length()) : spec);
            if (warn != null && !Files.exists(data)) {
                warn.accept("seed " + data + ": no such file or directory, ignoring");
                continue;
            }
            if (colon >= 0) {
                Path index = Path.of(spec.substring(0, colon + ".caibx".length()));
                result.add(Seed.indexed(index, existing(data)));
            } else {
                result.add(open(existing(data)));
            }
        }
        for (Path dir : seedDirs) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("--seed-dir " + dir + ": not a directory");
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().endsWith(".caibx"))
                        .sorted()
                        .toList();
            }
            for (Path file : files) {
                result.add(open(file));
            }
        }
        return result;
    }

    private static Seed open(Path file) throws IOException {
        Seed.requireSeedable(file);
        Path index = file.resolveSibling(file.getFileName() + ".caibx");
        if (Files.isRegularFile(index)) {
            return Seed.indexed(index, file);
        }
        return Seed.unindexed(file); // chunked during the extract, in the same pass that copies from it
    }

    private static Path existing(Path seed) throws IOException {
        if (!Files.exists(seed)) {
            throw new IOException("seed " + seed + ": no such file or directory");
        }
        return Seed.requireSeedable(seed);
    }
}
