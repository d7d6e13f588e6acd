package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.index.IndexReader;
import dev.jcasync.seed.Seed;
import dev.jcasync.seed.TreeSnapshot;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The seeds of a .caidx extract. A directory ({@code --seed=DIR}, and the output directory unless
 * {@code --seed-output=no}) is encoded as a catar stream with the target index's feature flags
 * (and --uid-shift/--uid-range), so files that did not change give the same chunks, and that
 * stream is a blob seed ({@link TreeSnapshot}). A .catar (or any file) is a blob seed as it is;
 * {@code OLD.caidx:TREE} pairs a tree or .catar with the index made of it, which then saves the
 * chunking. Snapshots are deleted on {@link #close}.
 */
final class TreeSeeds implements ArchiveInput.SeedSource, Closeable {
    private final SeedOptions options;
    private final Path output;
    private final boolean seedOutput;
    private final CasyncOptions casync;
    private final Consumer<String> warn;
    private final List<TreeSnapshot> snapshots = new ArrayList<>();

    TreeSeeds(SeedOptions options, Path output, boolean seedOutput, CasyncOptions casync, Consumer<String> warn) {
        this.options = options;
        this.output = output;
        this.seedOutput = seedOutput;
        this.casync = casync;
        this.warn = warn;
    }

    @Override
    public List<Seed> seeds(BlobIndex target) throws IOException {
        FeatureFlags flags = FeatureFlags.of(target.featureFlags());
        List<Seed> result = new ArrayList<>();
        Set<Path> trees = new HashSet<>();
        for (String spec : options.seeds) {
            int colon = spec.toLowerCase(Locale.ROOT).indexOf(".caidx:");
            Path data = Path.of(colon >= 0 ? spec.substring(colon + ".caidx:".length()) : spec);
            if (!Files.exists(data)) {
                warn.accept("seed " + data + ": no such file or directory, ignoring"); // as casync
                continue;
            }
            BlobIndex index =
                    colon >= 0 ? IndexReader.read(Path.of(spec.substring(0, colon + ".caidx".length()))) : null;
            if (Files.isDirectory(data)) {
                if (trees.add(data.toRealPath())) {
                    TreeSnapshot snap = snapshot(data, flags);
                    if (snap != null) {
                        result.add(index == null ? snap.seed() : snap.seed(index));
                    }
                }
            } else if (index != null) {
                result.add(new Seed(data, index));
            } else if (data.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".caidx")) {
                throw new IOException("seed " + data
                        + ": a .caidx seed needs the tree or .catar it was made of: --seed=" + data + ":DIR");
            } else {
                result.add(Seed.unindexed(data)); // a .catar: chunked like the target
            }
        }
        for (Path dir : options.seedDirs) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("--seed-dir " + dir + ": not a directory");
            }
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(Files::isRegularFile).sorted().map(Seed::unindexed).forEach(result::add);
            }
        }
        // Captured now, before the extract changes it.
        if (seedOutput && Files.isDirectory(output) && !isEmpty(output) && trees.add(output.toRealPath())) {
            TreeSnapshot snap = snapshot(output, flags);
            if (snap != null) {
                result.add(snap.seed());
            }
        }
        return result;
    }

    /**
     * The trees whose unchanged files {@code --hardlink}/{@code --reflink} reuse: the --seed
     * directories that exist, then the output directory (unless --seed-output=no). Asked before
     * the extract starts.
     */
    List<Path> directories() {
        List<Path> dirs = new ArrayList<>();
        for (String spec : options.seeds) {
            int colon = spec.toLowerCase(Locale.ROOT).indexOf(".caidx:");
            Path data = Path.of(colon >= 0 ? spec.substring(colon + ".caidx:".length()) : spec);
            if (Files.isDirectory(data)) {
                dirs.add(data);
            }
        }
        if (seedOutput && output != null && Files.isDirectory(output)) {
            dirs.add(output);
        }
        return dirs;
    }

    /** The tree's stream, or null (with a warning) if the tree cannot be read: a seed is an optimisation. */
    private TreeSnapshot snapshot(Path tree, FeatureFlags flags) throws IOException {
        TreeSnapshot snap;
        try {
            snap = TreeSnapshot.encode(
                    tree, DirectoryArchive.encoder(flags, casync), Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            warn.accept(e.getMessage() + "; not used as a seed");
            return null;
        }
        snapshots.add(snap);
        return snap;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.findAny().isEmpty();
        }
    }

    @Override
    public void close() throws IOException {
        for (TreeSnapshot s : snapshots) {
            s.close();
        }
    }
}
