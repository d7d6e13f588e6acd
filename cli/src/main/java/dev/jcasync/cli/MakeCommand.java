package dev.jcasync.cli;

import dev.jcasync.cli.Values.What;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.make.MakeResult;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "make",
        mixinStandardHelpOptions = true,
        description = {
            "Chunk FILE into the store and write its index INDEX.caibx.",
            "Prints the digest of the whole blob, as casync does. Without FILE, or with FILE -, the blob is",
            "read from standard input; with INDEX - (or no INDEX) the index goes to standard output,",
            "followed by the digest line, as casync writes it."
        })
final class MakeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    CasyncOptions casync;

    @Mixin
    ConcurrencyOption concurrency;

    @Mixin
    VerboseOption verbose;

    @Mixin
    JsonOption json;

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
            arity = "0..1",
            paramLabel = "INDEX",
            description = "Index to write (.caibx), or - for standard output (the default).")
    String index;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "FILE",
            description = "Blob to chunk: a file, a block device, or - for standard input (the default).")
    String input;

    @Override
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        Archives.checkWhat(spec, casync.what, EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX, What.BLOB_INDEX));
        boolean indexToStdout = index == null || index.equals("-");
        if (indexToStdout && json.enabled) {
            throw new ParameterException(
                    spec.commandLine(), "--json: the index goes to standard output; name an INDEX file");
        }
        if (!indexToStdout && casync.what == null) {
            Archives.refuseArchiveName(index);
            if (!index.endsWith(".caibx")) {
                throw new IllegalArgumentException(index + ": File to create does not have valid suffix, refusing. "
                        + "(May be one of: .catar, .caidx, .caibx)");
            }
        }
        if (unused.cache != null || casync.cacheAuto) {
            throw new IllegalArgumentException("--cache: Caching only supported when archiving files trees.");
        }
        if (input == null) {
            input = "-";
        }
        MakeOptions options = MakeOptions.defaults()
                .withSizes(chunkSize.sizes)
                .withDigest(digest.algorithm)
                .withCompression(compression.value())
                .withConcurrency(concurrency.value())
                .withFeatures(features.selection(casync.exclusions()));
        long started = System.nanoTime();
        Set<PosixFilePermission> indexBits = indexToStdout ? null : inputPermissions(); // before stdin is closed
        MakeResult result;
        String storeLocation;
        String indexName = indexToStdout ? "-" : index;
        try (ReadableByteChannel in = openInput();
                ChunkStore target = CasyncStores.openWriter(store, casync, indexName)) {
            storeLocation = target.location();
            try {
                result = new BlobMaker(options).make(in, target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(input + ": " + e.getMessage()); // the input cannot be chunked so
            }
        }
        byte[] indexBytes = IndexWriter.toBytes(result.index());
        if (indexToStdout) {
            System.out.write(indexBytes);
            System.out.flush();
        } else {
            AtomicFile.write(Path.of(index), indexBytes, indexBits);
        }
        if (json.enabled) {
            new JsonWriter(spec.commandLine().getOut())
                    .beginObject()
                    .field("index", index)
                    .field("input", input)
                    .field("store", storeLocation)
                    .field("size", result.index().blobSize())
                    .field("chunks", result.index().entries().size())
                    .field("chunks_stored", result.chunksStored())
                    .field("chunks_reused", result.chunksReused())
                    .field("algorithm", options.digest().cliName())
                    .field("digest", result.blobDigest().toHex())
                    .field("elapsed_ms", (System.nanoTime() - started) / 1_000_000)
                    .endObject()
                    .finish();
        } else {
            spec.commandLine().getOut().println(result.blobDigest().toHex());
            spec.commandLine().getOut().flush();
        }
        verbose.report(
                "%s: %d bytes, %d chunks, %d stored, %d already in store, %.2f s",
                input,
                result.index().blobSize(),
                result.index().entries().size(),
                result.chunksStored(),
                result.chunksReused(),
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private ReadableByteChannel openInput() throws IOException {
        if (input.equals("-")) {
            return Channels.newChannel(System.in);
        }
        Path path = Path.of(input);
        if (Files.isDirectory(path)) {
            throw new IOException(
                    input + ": is a directory; only blobs (files, block devices) can be made into a .caibx");
        }
        try {
            return FileChannel.open(path);
        } catch (IOException e) {
            throw new IOException("cannot read input: " + ErrorHandler.describe(e), e);
        }
    }

    /**
     * The input's permission bits, which the index gets masked by 0666 as casync does; for standard
     * input those of the file it is redirected from (none for a pipe).
     */
    private Set<PosixFilePermission> inputPermissions() throws IOException {
        if (!input.equals("-")) {
            return Files.getPosixFilePermissions(Path.of(input));
        }
        Path stdin = Path.of("/dev/stdin");
        try {
            return Files.isRegularFile(stdin) ? Files.getPosixFilePermissions(stdin) : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
