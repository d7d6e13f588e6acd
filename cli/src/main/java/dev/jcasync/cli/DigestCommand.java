package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "digest", mixinStandardHelpOptions = true,
        description = {"Print the digest of a file, or of the blob an index describes (read from the store).",
                "As casync: the digest of an index's blob is SHA-512/256 unless --digest is given."})
final class DigestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Mixin JsonOption json;

    @Option(names = "--digest", paramLabel = "sha512-256|sha256", description = "Digest algorithm (default sha512-256).")
    String digest = "sha512-256";

    @Parameters(index = "0", paramLabel = "FILE|INDEX", description = "A file, or a .caibx index.")
    Path target;

    @Override
    public Integer call() throws IOException {
        DigestAlgorithm algorithm = DigestAlgorithm.fromCliName(digest);
        MessageDigest md = algorithm.newDigest();
        if (target.getFileName().toString().endsWith(".caibx")) {
            BlobIndex blob = IndexReader.read(target);
            try (OpenStores stores = store.open(target)) {
                ChunkReader reader = new ChunkReader(stores.list(), blob.digest());
                for (IndexEntry e : blob.entries()) {
                    md.update(reader.read(e.id(), e.size()));
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(target)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
        }
        String hex = ChunkId.of(md.digest()).toHex();
        if (json.enabled) {
            new JsonWriter(spec.commandLine().getOut()).beginObject()
                    .field("file", target.toString())
                    .field("algorithm", algorithm.cliName())
                    .field("digest", hex)
                    .endObject().finish();
        } else {
            spec.commandLine().getOut().println(hex);
        }
        return 0;
    }
}
