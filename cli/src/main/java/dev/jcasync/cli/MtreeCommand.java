package dev.jcasync.cli;

import picocli.CommandLine.Command;

@Command(
        name = "mtree",
        mixinStandardHelpOptions = true,
        description = {
            "As casync: print the file tree of an archive in mtree format.",
            "Archives only, so on a blob index it refuses as casync does (exit status 1)."
        })
final class MtreeCommand extends ArchiveOnlyCommand {}
