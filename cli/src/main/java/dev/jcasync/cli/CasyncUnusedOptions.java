package dev.jcasync.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * casync options that a verb accepts but does not use for blobs (casync parses one option set for
 * every verb): {@code --seed}, {@code --cache}, and {@code --seed-output}; {@link DryRun} holds casync's {@code -n}. Hidden from --help.
 */
final class CasyncUnusedOptions {
    /** casync's {@code -n/--dry-run}, which only gc uses, for the verbs where it has no effect. */
    static final class DryRun {
        @Option(
                names = {"-n", "--dry-run"},
                hidden = true,
                description = "casync: gc only.")
        boolean dryRun;
    }

    @Option(names = "--seed", hidden = true, paramLabel = "PATH", description = "casync: extract only.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--cache", hidden = true, paramLabel = "DIR", description = "casync: encoder cache for archives.")
    Path cache;

    @Option(
            names = "--seed-output",
            hidden = true,
            arity = "1",
            paramLabel = "yes|no",
            converter = Values.YesNo.class,
            description = "casync: extract only.")
    Boolean seedOutput;
}
