package dev.jcasync.cli;

import picocli.CommandLine.Option;

/** {@code --concurrency}, shared by make and extract. */
final class ConcurrencyOption {
    @Option(names = "--concurrency", paramLabel = "N", description = "Worker threads (default: number of cores).")
    int concurrency = Runtime.getRuntime().availableProcessors();

    int value() {
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
        }
        return concurrency;
    }
}
