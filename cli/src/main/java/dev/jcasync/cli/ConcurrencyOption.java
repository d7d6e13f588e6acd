package dev.jcasync.cli;

import picocli.CommandLine.Option;

/** {@code --concurrency} for the commands that use every core (make, chop, verify), and its check for all. */
final class ConcurrencyOption {
    @Option(names = "--concurrency", paramLabel = "N", description = "Worker threads (default: number of cores).")
    int concurrency = Runtime.getRuntime().availableProcessors();

    int value() {
        return check(concurrency);
    }

    /** {@code n}, if it is a usable --concurrency. */
    static int check(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1, got " + n);
        }
        return n;
    }
}
