package dev.jcasync.cli;

import dev.jcasync.cli.Values.What;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Print the chunks of INDEX.caibx, one per line: offset, size, chunk id; or, for a directory or an",
            "archive (.catar, .caidx), what casync list prints: the mode and path of every entry.",
            "(casync list refuses blob indexes; this is jcasync's listing of a blob's chunks.)"
        })
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;
    // casync accepts every option for every verb; list checks them, and they have no effect on it.
    @Mixin
    CasyncOptions casync;

    @Mixin
    StoreOptions store;

    @Mixin
    VerboseOption verbose;

    @Mixin
    ChunkSizeOption chunkSize;

    @Mixin
    DigestOption digest;

    @Mixin
    CompressionOption compression;

    @Mixin
    CasyncUnusedOptions unused;

    @Mixin
    CasyncUnusedOptions.DryRun dryRun;

    @Mixin
    FeatureFlagOptions features;

    @Parameters(
            index = "0",
            paramLabel = "INDEX",
            description =
                    "Index to list (.caibx), an archive (.catar, .caidx) or a directory (listed as casync lists it).")
    Path index;

    @Override
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        // casync lists archives, archive indexes and directories; jcasync lists those and a blob index's chunks.
        Archives.checkWhatReading(
                spec,
                casync.what,
                EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX, What.DIRECTORY, What.BLOB_INDEX),
                EnumSet.of(What.DIRECTORY));
        if (ArchiveInput.isArchive(index.toString(), casync.what)) {
            try (ArchiveInput in = ArchiveInput.open(
                    index.toString(), casync.what, store, casync, dev.jcasync.extract.ExtractOptions.defaults())) {
                ArchiveCommands.list(in, spec.commandLine().getOut());
            }
            return 0;
        }
        if (casync.what == What.DIRECTORY || (casync.what == null && DirectoryArchive.isDirectory(index.toString()))) {
            DirectoryArchive.requireDirectory(index.toString());
            DirectoryArchive.list(
                    index.toString(),
                    DirectoryArchive.flags(features, casync, digest.algorithm),
                    casync,
                    spec.commandLine().getOut());
            return 0;
        }
        Archives.refuseArchiveName(index.toString());
        BlobIndex blob = IndexReader.read(index);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            JsonWriter w = new JsonWriter(out)
                    .beginObject()
                    .field("index", index.toString())
                    .name("chunks")
                    .beginArray();
            for (IndexEntry e : blob.entries()) {
                w.beginObject()
                        .field("offset", e.offset())
                        .field("size", e.size())
                        .field("id", e.id().toHex())
                        .endObject();
            }
            w.endArray().endObject().finish();
            return 0;
        }
        for (IndexEntry e : blob.entries()) {
            out.println(e.offset() + " " + e.size() + " " + e.id().toHex());
        }
        out.flush();
        return 0;
    }
}
