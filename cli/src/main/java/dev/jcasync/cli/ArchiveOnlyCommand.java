package dev.jcasync.cli;

import dev.jcasync.cli.Values.What;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * casync commands that work on archives only (a directory tree, .catar or .caidx). casync refuses a
 * blob index with "Input should be a directory, .catar or .caidx file. Refusing." and exit status 1;
 * jcasync, which handles blobs only, refuses everything the same way, naming what to use instead.
 */
abstract class ArchiveOnlyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FeatureFlagOptions features;

    // casync accepts every option for every verb; these commands check them before refusing.
    @Mixin
    CasyncOptions casync;

    @Mixin
    StoreOptions store;

    @Mixin
    VerboseOption verbose;

    @Mixin
    ChunkSizeOption chunkSize;

    @Mixin
    DigestOption digest;

    @Mixin
    CompressionOption compression;

    @Mixin
    CasyncUnusedOptions unused;

    @Mixin
    CasyncUnusedOptions.DryRun dryRun;

    @Parameters(
            index = "0",
            paramLabel = "INPUT",
            description = "A directory, .catar or .caidx (stat, mtree); blob indexes (.caibx) are refused.")
    String input;

    /** The command on a .catar or .caidx; not supported yet unless a command says otherwise. */
    void archive(String archive) throws IOException {
        throw new IllegalArgumentException(
                archive + ": .catar and .caidx archives are not supported yet (directories are). Refusing.");
    }

    /** The command on a directory tree (as casync: what an archive of it, made with the same flags, holds). */
    abstract void directory(String dir) throws IOException;

    @Override
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        if (casync.what == What.DIRECTORY || (casync.what == null && DirectoryArchive.isDirectory(input))) {
            DirectoryArchive.requireDirectory(input);
            directory(input);
            return 0;
        }
        if (ArchiveInput.isArchive(input, casync.what)) {
            archive(input);
            return 0;
        }
        if (input.endsWith(".caibx")) {
            throw new IllegalArgumentException(input + ": Input should be a directory, .catar or .caidx file. Refusing."
                    + " (for a blob index: jcasync info, jcasync list)");
        }
        throw new IllegalArgumentException(
                input + ": .catar and .caidx archives are not supported yet (directories are). Refusing.");
    }
}
