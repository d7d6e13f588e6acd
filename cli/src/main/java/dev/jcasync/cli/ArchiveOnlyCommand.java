package dev.jcasync.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * casync commands that work on archives only (a directory tree, .catar or .caidx). casync refuses a
 * blob index with "Input should be a directory, .catar or .caidx file. Refusing." and exit status 1;
 * jcasync, which handles blobs only, refuses everything the same way, naming what to use instead.
 */
abstract class ArchiveOnlyCommand implements Callable<Integer> {
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

    @Parameters(index = "0", paramLabel = "INPUT", description = "A blob index (.caibx); archives are not supported.")
    String input;

    @Override
    public Integer call() throws java.io.IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        if (input.endsWith(".caibx")) {
            throw new IllegalArgumentException(input + ": Input should be a directory, .catar or .caidx file. Refusing."
                    + " (for a blob index: jcasync info, jcasync list)");
        }
        throw new IllegalArgumentException(input
                + ": archives (directories, .catar, .caidx) are not supported: jcasync handles blobs only. Refusing.");
    }
}
