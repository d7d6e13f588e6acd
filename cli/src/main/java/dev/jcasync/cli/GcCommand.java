package dev.jcasync.cli;

import picocli.CommandLine.Command;

/**
 * {@code gc}: prune under casync's name, printing what casync gc prints (nothing, unless -n or -v;
 * see {@link PruneCommand#printCasync}), so scripts that parse it keep working.
 */
@Command(
        name = "gc",
        mixinStandardHelpOptions = true,
        description = {
            "casync gc: delete the chunk files of a local store that none of the given indexes references.",
            "As jcasync prune (same safety for concurrent makes), with casync's output: nothing, or with -n",
            "'Would remove N chunks, M chunks remaining.', with -v a line per chunk file and a summary."
        })
final class GcCommand extends PruneCommand {
    @Override
    boolean casyncOutput() {
        return true;
    }
}
