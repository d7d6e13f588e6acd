package dev.jcasync.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the result as one JSON document on stdout, in the schema the README documents. */
final class JsonOption {
    @Option(names = "--json", description = "Print the result as one JSON object (schema in the README).")
    boolean enabled;
}
