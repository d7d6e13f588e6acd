package dev.jcasync.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

@Command(
        name = "mtree",
        mixinStandardHelpOptions = true,
        description = {
            "As casync: print the file tree of a directory or an archive (.catar, .caidx) in mtree format.",
            "On a blob index it refuses as casync does (exit status 1)."
        })
final class MtreeCommand extends ArchiveOnlyCommand {
    @Override
    public Integer call() throws java.io.IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        if (ArchiveInput.isArchive(input, casync.what)) {
            Archives.checkWhatReading(
                    spec,
                    casync.what,
                    java.util.EnumSet.of(Values.What.ARCHIVE, Values.What.ARCHIVE_INDEX, Values.What.DIRECTORY),
                    java.util.EnumSet.of(Values.What.DIRECTORY));
            try (ArchiveInput in = ArchiveInput.open(
                    input, casync.what, store, casync, dev.jcasync.extract.ExtractOptions.defaults())) {
                ArchiveCommands.mtree(in, spec.commandLine().getOut(), digest.algorithm);
            }
            return 0;
        }
        return super.call();
    }

    @Override
    void directory(String dir) throws IOException {
        DirectoryArchive.mtree(
                dir,
                DirectoryArchive.flags(features, casync, digest.algorithm),
                casync,
                digest.algorithm,
                spec.commandLine().getOut());
    }
}
