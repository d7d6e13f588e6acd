package dev.jcasync.cli;

import dev.jcasync.archive.write.CatarEncoder;
import dev.jcasync.archive.write.DirectorySource;
import dev.jcasync.archive.write.TarSource;
import dev.jcasync.archive.write.TreeSource;
import dev.jcasync.cli.Values.What;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.index.IndexWriter;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.make.MakeResult;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "make",
        mixinStandardHelpOptions = true,
        description = {
            "Chunk FILE into the store and write its index INDEX.caibx; or serialise the directory DIR into",
            "X.catar, or into X.caidx plus its chunks in the store (chosen by the suffix or --what).",
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
            description = "Blob to chunk: a file, a block device, or - for standard input (the default); "
                    + "for a .catar/.caidx the directory to archive (default .), or with --input-format=tar "
                    + "a tar file (or - for standard input).")
    String input;

    @Option(
            names = "--input-format",
            paramLabel = "FORMAT",
            description = "For a .catar/.caidx: directory (the default) or tar, to archive the tree FILE, a tar "
                    + "(plain or gzip; - for standard input), extracts to, as casync would after "
                    + "'fakeroot tar xpf FILE', without extracting it.")
    String inputFormat;

    @Override
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        Archives.checkWhat(
                spec,
                casync.what,
                EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX, What.BLOB_INDEX),
                EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX));
        boolean indexToStdout = index == null || index.equals("-");
        What kind = casync.what;
        if (kind == null && !indexToStdout) {
            String lower = index.toLowerCase(java.util.Locale.ROOT);
            kind = lower.endsWith(".catar") ? What.ARCHIVE : lower.endsWith(".caidx") ? What.ARCHIVE_INDEX : null;
        }
        boolean tar = tarInput();
        if (tar && kind != What.ARCHIVE && kind != What.ARCHIVE_INDEX) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--input-format=tar: the output must be a directory archive (.catar or .caidx)");
        }
        if (kind == What.ARCHIVE || kind == What.ARCHIVE_INDEX) {
            if (indexToStdout) {
                throw new ParameterException(
                        spec.commandLine(),
                        "make: name the .catar or .caidx to write (standard output is not supported)");
            }
            return makeArchive(kind == What.ARCHIVE);
        }
        if (indexToStdout && json.enabled) {
            throw new ParameterException(
                    spec.commandLine(), "--json: the index goes to standard output; name an INDEX file");
        }
        if (!indexToStdout && casync.what == null) {
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

    /**
     * {@code make X.catar DIR} (the catar stream, written atomically) or {@code make X.caidx DIR}
     * (the stream chunked into the store as it is made; the index carries the archive's flags).
     * Prints the archive digest, as casync.
     */
    private int makeArchive(boolean plain) throws IOException {
        boolean tar = tarInput();
        String dir = input != null ? input : tar ? "-" : ".";
        FeatureFlags word = DirectoryArchive.flags(features, casync, digest.algorithm);
        long started = System.nanoTime();
        Path target = Path.of(index);
        if (tar) {
            try (TarSource source = openTar(dir, target)) {
                return makeArchive(plain, dir, source, word, target, started);
            }
        }
        DirectoryArchive.requireDirectory(dir);
        return makeArchive(plain, dir, new DirectorySource(dir), word, target, started);
    }

    private boolean tarInput() {
        if (inputFormat == null || inputFormat.equals("directory")) {
            return false;
        }
        if (inputFormat.equals("tar")) {
            return true;
        }
        throw new ParameterException(
                spec.commandLine(), "--input-format=" + inputFormat + ": unknown (directory or tar)");
    }

    /** Reads the whole tar, its contents spilled beside the archive to be written. */
    private static TarSource openTar(String name, Path target) throws IOException {
        Path spillDir = target.toAbsolutePath().getParent();
        if (name.equals("-")) {
            return TarSource.read(System.in, "-", spillDir);
        }
        try (java.io.InputStream in = Files.newInputStream(Path.of(name))) {
            return TarSource.read(in, name, spillDir);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(name + ": No such file or directory", e);
        }
    }

    private int makeArchive(boolean plain, String dir, TreeSource source, FeatureFlags word, Path target, long started)
            throws IOException {
        String hex;
        long size;
        long chunks = 0;
        long stored = 0;
        long reused = 0;
        String storeLocation = null;
        if (plain) {
            Path temp = AtomicFile.tempBeside(target);
            try {
                CatarEncoder.Result r;
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
                    r = DirectoryArchive.encoder(word, casync).encode(source, out);
                }
                AtomicFile.commit(temp, target);
                hex = HexFormat.of().formatHex(r.digest());
                size = r.size();
            } finally {
                Files.deleteIfExists(temp);
            }
        } else {
            MakeOptions options = MakeOptions.defaults()
                    .withSizes(chunkSize.sizes)
                    .withDigest(digest.algorithm)
                    .withCompression(compression.value())
                    .withConcurrency(concurrency.value());
            MakeResult result;
            try (ChunkStore store = CasyncStores.openWriter(this.store, casync, index)) {
                storeLocation = store.location();
                result = chunkArchive(dir, source, DirectoryArchive.encoder(word, casync), options, store);
            }
            BlobIndex made = result.index();
            BlobIndex idx = new BlobIndex(word.value(), made.sizes(), made.entries());
            AtomicFile.write(target, IndexWriter.toBytes(idx));
            hex = result.blobDigest().toHex();
            size = made.blobSize();
            chunks = made.entries().size();
            stored = result.chunksStored();
            reused = result.chunksReused();
        }
        if (json.enabled) {
            JsonWriter w = new JsonWriter(spec.commandLine().getOut())
                    .beginObject()
                    .field("index", index)
                    .field("input", dir)
                    .field("feature_flags", word.toString())
                    .field("size", size);
            if (!plain) {
                w.field("store", storeLocation)
                        .field("chunks", chunks)
                        .field("chunks_stored", stored)
                        .field("chunks_reused", reused);
            }
            w.field("algorithm", digest.algorithm.cliName())
                    .field("digest", hex)
                    .field("elapsed_ms", (System.nanoTime() - started) / 1_000_000)
                    .endObject()
                    .finish();
        } else {
            spec.commandLine().getOut().println(hex);
            spec.commandLine().getOut().flush();
        }
        verbose.report(
                "%s: %d bytes of archive (feature flags %s), %.2f s",
                dir, size, word, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Encodes {@code dir} on a thread of its own, chunking the stream through a pipe as it comes. */
    private static MakeResult chunkArchive(
            String dir, TreeSource tree, CatarEncoder encoder, MakeOptions options, ChunkStore store)
            throws IOException {
        Pipe pipe = Pipe.open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    try (OutputStream out = Channels.newOutputStream(pipe.sink())) {
                        encoder.encode(tree, out);
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "catar-encoder");
        thread.setDaemon(true);
        thread.start();
        MakeResult result;
        try (Pipe.SourceChannel source = pipe.source()) {
            result = new BlobMaker(options).make(source, store);
        } finally {
            pipe.source().close(); // unblocks the encoder if chunking failed
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while archiving " + dir, e);
            }
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        } else if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error er) {
            throw er;
        }
        return result;
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
