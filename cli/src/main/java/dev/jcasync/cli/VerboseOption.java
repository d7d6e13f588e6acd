package dev.jcasync.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code -v}: a summary line on stderr when the command is done. */
final class VerboseOption {
    @Option(
            names = {"-v", "--verbose"},
            description = "Print a summary to standard error.")
    boolean verbose;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    void report(String format, Object... args) {
        if (verbose) {
            command.commandLine().getErr().println(String.format(format, args));
        }
    }
}
