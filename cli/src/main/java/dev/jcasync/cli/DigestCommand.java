package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.cli.Values.What;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.http.HttpStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "digest",
        mixinStandardHelpOptions = true,
        description = {
            "Print the digest of a file, or of the blob an index describes (read from the store).",
            "As casync: a file's digest is SHA-512/256 unless --digest is given, an index's blob's is always",
            "SHA-512/256 (casync ignores --digest there); - reads standard input; --what=blob or",
            "--what=blob-index says which INPUT is."
        })
final class DigestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    JsonOption json;

    @Mixin
    CasyncOptions casync;

    @Mixin
    VerboseOption verbose;

    @Mixin
    DigestOption digest;

    @Mixin
    ChunkSizeOption chunkSize;

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
            paramLabel = "INPUT",
            description = "A file or block device, a .caibx index (file or URL), or - for standard input.")
    String target;

    @Override
    public Integer call() throws IOException {
        if (casync.whatHelp()) {
            return 0;
        }
        Archives.checkWhatReading(
                spec,
                casync.what,
                EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX, What.BLOB, What.BLOB_INDEX, What.DIRECTORY),
                EnumSet.of(What.DIRECTORY));

        if (target != null && ArchiveInput.isArchive(target, casync.what)) {
            // casync: the digest of the whole archive stream, read and checked to the end; the
            // algorithm is the archive's (its sha512-256 flag), whatever --digest says.
            String hex;
            try (ArchiveInput in = ArchiveInput.open(
                    target, casync.what, store, casync, dev.jcasync.extract.ExtractOptions.defaults())) {
                hex = ArchiveCommands.digest(in);
            }
            if (json.enabled) {
                new JsonWriter(spec.commandLine().getOut())
                        .beginObject()
                        .field("file", target)
                        .field("digest", hex)
                        .endObject()
                        .finish();
            } else {
                spec.commandLine().getOut().println(hex);
            }
            return 0;
        }
        boolean stdin = "-".equals(target);
        What what = casync.what;
        boolean local = target != null && !stdin && !HttpStore.isHttpUrl(target);
        if (what == What.DIRECTORY
                || (what == null && (target == null || (local && DirectoryArchive.isDirectory(target))))) {
            // casync digests a directory (the current one without INPUT) as the archive make would write
            String dir = target == null ? "." : target;
            DirectoryArchive.requireDirectory(dir);
            FeatureFlags flags = DirectoryArchive.flags(features, casync, digest.algorithm);
            String hex = HexFormat.of().formatHex(DirectoryArchive.digest(dir, flags, casync));
            if (json.enabled) {
                new JsonWriter(spec.commandLine().getOut())
                        .beginObject()
                        .field("directory", dir)
                        .field("feature_flags", flags.toString())
                        .field("algorithm", flags.digest().cliName())
                        .field("digest", hex)
                        .endObject()
                        .finish();
            } else {
                spec.commandLine().getOut().println(hex);
            }
            return 0;
        }
        if (what == null && target != null && !stdin) {
            Archives.refuseArchiveName(target);
            if (target.endsWith(".caibx")) {
                what = What.BLOB_INDEX;
            }
        }
        if (local && Files.isDirectory(Path.of(target))) {
            throw new IllegalArgumentException(target + ": a directory cannot be digested as --what=" + what.cliName());
        }
        stdin |= target == null;
        String name = stdin ? "-" : target;
        // casync digests an index's blob with SHA-512/256 whatever --digest or the index's chunk ids say.
        DigestAlgorithm algorithm = what == What.BLOB_INDEX ? DigestAlgorithm.SHA512_256 : digest.algorithm;
        MessageDigest md = algorithm.newDigest();
        if (what == What.BLOB_INDEX) {
            BlobIndex blob =
                    stdin ? IndexReader.parse(System.in.readAllBytes(), "standard input") : store.readIndex(target);
            try (OpenStores stores = CasyncStores.open(store, casync, name)) {
                ChunkReader reader = new ChunkReader(stores.list(), blob.digest());
                for (IndexEntry e : blob.entries()) {
                    md.update(reader.read(e.id(), e.size()));
                }
            }
        } else {
            try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(target))) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
        }
        String hex = ChunkId.of(md.digest()).toHex();
        if (json.enabled) {
            new JsonWriter(spec.commandLine().getOut())
                    .beginObject()
                    .field("file", name)
                    .field("algorithm", algorithm.cliName())
                    .field("digest", hex)
                    .endObject()
                    .finish();
        } else {
            spec.commandLine().getOut().println(hex);
        }
        return 0;
    }
}
