package dev.jcasync.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "stat",
        mixinStandardHelpOptions = true,
        description = {
            "As casync: show the metadata of a path inside an archive.",
            "Archives only, so on a blob index it refuses as casync does (exit status 1); jcasync info describes a blob index."
        })
final class StatCommand extends ArchiveOnlyCommand {
    /** Accepted as casync accepts it, so that the refusal, not a usage error, is what a caller sees. */
    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Path inside the archive.")
    String path;
}
