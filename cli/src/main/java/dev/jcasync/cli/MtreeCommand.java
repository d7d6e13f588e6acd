package dev.jcasync.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

@Command(
        name = "mtree",
        mixinStandardHelpOptions = true,
        description = {
            "As casync: print the file tree of a directory in mtree format, as an archive of it holds it.",
            "Archives only, so on a blob index it refuses as casync does (exit status 1)."
        })
final class MtreeCommand extends ArchiveOnlyCommand {
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
