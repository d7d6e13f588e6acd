package dev.jcasync.seed;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A local file that probably holds chunks of the target (the previous image, the other A/B
 * partition), with an index saying where. The index is a hint only: every range is verified
 * against its id when it is read, so a seed that changed costs the chunks it got wrong, nothing more.
 */
public record Seed(Path file, BlobIndex index) {
    /** A seed described by an existing index (for example {@code image.caibx} beside {@code image}). */
    public static Seed indexed(Path indexFile, Path file) throws IOException {
        return new Seed(file, IndexReader.read(indexFile));
    }

    /** Chunks {@code file} with the target's parameters to find out what it holds. */
    public static Seed scan(Path file, ChunkSizes sizes, DigestAlgorithm digest, int concurrency) throws IOException {
        MakeOptions options = MakeOptions.defaults().withSizes(sizes).withDigest(digest).withConcurrency(concurrency);
        try (FileChannel in = FileChannel.open(file)) {
            return new Seed(file, new BlobMaker(options).make(in, null).index());
        } catch (IOException e) {
            throw new IOException("seed " + file + ": " + e.getMessage(), e);
        }
    }
}
