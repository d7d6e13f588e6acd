package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.index.IndexReader;
import dev.jcasync.maintain.Chopper;
import dev.jcasync.seed.TreeSnapshot;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "chop",
        mixinStandardHelpOptions = true,
        description = {
            "Store the chunks of FILE that INDEX lists, for an index made without a store (desync chop).",
            "FILE is read at the offsets the index gives, not chunked again; every chunk must hash to its id,",
            "so a FILE that differs from INDEX is refused. Chunks already in the store are not read.",
            "For a .caidx, FILE is the directory the index was made of (its archive stream is rebuilt) or its .catar."
        })
final class ChopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    CompressionOption compression;

    @Mixin
    ConcurrencyOption concurrency;

    @Mixin
    JsonOption json;

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index of FILE (.caibx), or of a tree (.caidx).")
    Path index;

    @Parameters(
            index = "1",
            paramLabel = "FILE",
            description = "The file or block device the index describes; for a .caidx, the directory it was made of"
                    + " (encoded again with the index's feature flags) or its .catar.")
    Path file;

    @Override
    public Integer call() throws IOException {
        Archives.refuseCatar(index.toString());
        BlobIndex blob = IndexReader.read(index);
        Chopper.Result result;
        boolean tree = Archives.isArchiveIndexName(index.toString()) && Files.isDirectory(file);
        try (ChunkStore target = store.openFirst(index.toString());
                TreeSnapshot stream = tree
                        ? TreeSnapshot.encode(
                                file,
                                DirectoryArchive.encoder(FeatureFlags.of(blob.featureFlags()), null),
                                Path.of(System.getProperty("java.io.tmpdir")))
                        : null) {
            Path bytes = stream == null ? file : stream.seed().file();
            try {
                result = new Chopper(compression.value(), concurrency.value()).chop(blob, bytes, target);
            } catch (IOException e) {
                if (stream == null) {
                    throw e;
                }
                // name the tree, not the temporary stream made of it
                throw new IOException(
                        String.valueOf(e.getMessage()).replace(bytes.toString(), file + " (as an archive stream)"), e);
            }
            if (json.enabled) {
                new JsonWriter(spec.commandLine().getOut())
                        .beginObject()
                        .field("index", index.toString())
                        .field("file", file.toString())
                        .field("store", target.location())
                        .field("chunks_stored", result.stored())
                        .field("chunks_present", result.present())
                        .endObject()
                        .finish();
            } else {
                spec.commandLine()
                        .getOut()
                        .printf(
                                "stored %d chunks in %s, %d already there%n",
                                result.stored(), target.location(), result.present());
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
