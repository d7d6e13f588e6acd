package dev.jcasync.cli;

import picocli.CommandLine.Option;

/** {@code --concurrency} for the commands that use every core (make, chop, verify). */
final class ConcurrencyOption {
    @Option(
            names = "--concurrency",
            paramLabel = "N",
            converter = Values.Positive.class,
            description = "Worker threads (default: number of cores).")
    int concurrency = Runtime.getRuntime().availableProcessors();

    int value() {
        return concurrency;
    }
}
