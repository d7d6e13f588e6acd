package dev.jcasync.cli;

import dev.jcasync.extract.ExtractOptions;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "stat",
        mixinStandardHelpOptions = true,
        description = {
            "As casync: show the metadata of a directory (its root entry, as an archive of it stores it), or of PATH "
                    + "in a .catar/.caidx (default: its root), with the file's Digest and HLDigest.",
            "Archives only, so on a blob index it refuses as casync does (exit status 1); jcasync info describes a blob index."
        })
final class StatCommand extends ArchiveOnlyCommand {
    /** Accepted as casync accepts it, so that the refusal, not a usage error, is what a caller sees. */
    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Path inside the archive.")
    String path;

    @Override
    void archive(String archive) throws IOException {
        ExtractOptions options = ExtractOptions.defaults().withSync(false);
        try (ArchiveInput in = ArchiveInput.open(archive, casync.what, store, casync, options, true)) {
            ArchiveStat.stat(in, path, spec.commandLine().getOut());
        }
    }

    @Override
    void directory(String dir) throws IOException {
        if (path != null) {
            throw new IllegalArgumentException(
                    dir + ": Subtree path only supported when listing archive or archive index.");
        }
        DirectoryArchive.stat(
                dir,
                DirectoryArchive.flags(features, casync, digest.algorithm),
                casync,
                spec.commandLine().getOut());
    }
}
