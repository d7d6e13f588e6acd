package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.make.MakeResult;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.WriterStore;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "make", mixinStandardHelpOptions = true,
        description = {"Chunk FILE into the store and write its index INDEX.caibx.",
                "Prints the digest of the whole blob, as casync does."})
final class MakeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin ConcurrencyOption concurrency;
    @Mixin VerboseOption verbose;
    @Mixin JsonOption json;

    @Option(names = "--chunk-size", paramLabel = "AVG|MIN:AVG:MAX", description = "Chunk sizes, e.g. 64K or 16K:64K:256K (default 16K:64K:256K).")
    String chunkSize = "auto";

    @Option(names = "--digest", paramLabel = "sha512-256|sha256", description = "Chunk id digest (default sha512-256).")
    String digest = "sha512-256";

    @Mixin CompressionOption compression;
    @Mixin FeatureFlagOptions features;

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index to write (.caibx).")
    Path index;

    @Parameters(index = "1", paramLabel = "FILE", description = "Blob to chunk: a file, a block device, or - for standard input.")
    String input;

    @Override
    public Integer call() throws IOException {
        if (!index.getFileName().toString().endsWith(".caibx")) {
            throw new IllegalArgumentException(index + ": only blob indexes (.caibx) are supported");
        }
        ChunkSizes sizes;
        try {
            sizes = ChunkSizes.parse(chunkSize);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--chunk-size=" + chunkSize + ": " + e.getMessage());
        }
        MakeOptions options = MakeOptions.defaults()
                .withSizes(sizes)
                .withDigest(DigestAlgorithm.fromCliName(digest))
                .withCompression(compression.value())
                .withConcurrency(concurrency.value())
                .withFeatures(features.selection(FeatureFlags.Selection.DEFAULT));
        long started = System.nanoTime();
        MakeResult result;
        String storeLocation;
        try (ReadableByteChannel in = openInput(); ChunkStore target = WriterStore.of(store.openFirst(index.toString()))) {
            storeLocation = target.location();
            try {
                result = new BlobMaker(options).make(in, target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(input + ": " + e.getMessage()); // the input cannot be chunked so
            }
        }
        writeIndex(result);
        if (json.enabled) {
            new JsonWriter(spec.commandLine().getOut()).beginObject()
                    .field("index", index.toString())
                    .field("input", input)
                    .field("store", storeLocation)
                    .field("size", result.index().blobSize())
                    .field("chunks", result.index().entries().size())
                    .field("chunks_stored", result.chunksStored())
                    .field("chunks_reused", result.chunksReused())
                    .field("algorithm", options.digest().cliName())
                    .field("digest", result.blobDigest().toHex())
                    .field("elapsed_ms", (System.nanoTime() - started) / 1_000_000)
                    .endObject().finish();
        } else {
            spec.commandLine().getOut().println(result.blobDigest().toHex());
        }
        verbose.report("%s: %d bytes, %d chunks, %d stored, %d already in store, %.2f s",
                input, result.index().blobSize(), result.index().entries().size(),
                result.chunksStored(), result.chunksReused(), (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private ReadableByteChannel openInput() throws IOException {
        if (input.equals("-")) {
            return Channels.newChannel(System.in);
        }
        Path path = Path.of(input);
        if (Files.isDirectory(path)) {
            throw new IOException(input + ": is a directory; only blobs (files, block devices) can be made into a .caibx");
        }
        try {
            return FileChannel.open(path);
        } catch (IOException e) {
            throw new IOException("cannot read input: " + ErrorHandler.describe(e), e);
        }
    }

    /** Writes the index atomically, with the input's permission bits masked by 0666 as casync does. */
    private void writeIndex(MakeResult result) throws IOException {
        Set<PosixFilePermission> inputBits = input.equals("-") ? null : Files.getPosixFilePermissions(Path.of(input));
        AtomicFile.write(index, IndexWriter.toBytes(result.index()), inputBits);
    }
}
