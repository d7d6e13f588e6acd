package dev.jcasync.bench;

import dev.jcasync.index.IndexWriter;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.make.MakeResult;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The equivalent of {@code casync make --store=STORE INDEX FILE} with jcasync's {@link BlobMaker}
 * and default options (64K average chunks, SHA-512/256, zstd), timed inside the JVM.
 *
 * <p>Usage: {@code MakeTimer <file> <store> [concurrency] [index.caibx]}. Prints one line to stdout:
 * the seconds from opening the file to the index being written (JVM start-up excluded); a summary
 * goes to stderr.
 */
public final class MakeTimer {
    private MakeTimer() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: MakeTimer <file> <store> [concurrency] [index.caibx]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        Path storeDir = Path.of(args[1]);
        MakeOptions options = MakeOptions.defaults();
        if (args.length >= 3) {
            options = options.withConcurrency(Integer.parseInt(args[2]));
        }
        Path indexPath = args.length >= 4 ? Path.of(args[3]) : null;

        long t0 = System.nanoTime();
        Files.createDirectories(storeDir);
        MakeResult result;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            result = new BlobMaker(options).make(in, new LocalStore(storeDir));
        }
        if (indexPath != null) {
            AtomicFile.write(indexPath, IndexWriter.toBytes(result.index()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        long size = Files.size(file);
        System.err.printf(
                Locale.ROOT,
                "jcasync make: %d bytes, %d chunks (%d stored, %d reused), concurrency %d, %.3f s, %.1f MiB/s%n",
                size,
                result.index().entries().size(),
                result.chunksStored(),
                result.chunksReused(),
                options.concurrency(),
                seconds,
                size / (1024.0 * 1024.0) / seconds);
        System.out.printf(Locale.ROOT, "%.6f%n", seconds);
    }
}
