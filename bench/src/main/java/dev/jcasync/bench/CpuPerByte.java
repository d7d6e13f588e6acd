package dev.jcasync.bench;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.ChunkSplitter;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.chunker.ParallelSplitter;
import dev.jcasync.chunker.PositionalInput;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.Compression;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * CPU seconds per GiB of each piece of work {@code make} does, measured as thread CPU time (not
 * wall time, so other load on the machine inflates it little), over a real file from the page cache.
 * Each component runs in a pass of its own after a warm-up pass over the first 64 MiB (JIT).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.jcasync.bench.CpuPerByte FILE [zstd]} (zstd: only
 * that part)
 */
public final class CpuPerByte {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int BUFFER = 4 << 20;

    private CpuPerByte() {}

    /** Work on one chunk; returns something so the JIT cannot drop it. */
    private interface ChunkWork {
        long run(byte[] data, int start, int length) throws IOException;
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        System.out.printf(
                Locale.ROOT,
                "java %s (%s), %s%n",
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                file);
        double gib;
        try (FileChannel ch = FileChannel.open(file)) {
            gib = ch.size() / (double) (1L << 30);
        }
        ChunkSizes sizes = ChunkSizes.DEFAULT;
        if (args.length > 1 && args[1].equals("zstd")) {
            zstd(file, sizes, gib);
            return;
        }

        // Reading alone, into a heap and into a direct buffer.
        report("read into heap byte[] (FileChannel)", gib, time(() -> readAll(file, false)));
        report("read into direct buffer", gib, time(() -> readAll(file, true)));
        double chunking = time(() -> chunks(file, sizes, (d, s, l) -> l));
        report("read + chunker (sequential)", gib, chunking);
        report(
                "read + chunker (ParallelSplitter, 1 thread; CPU of all threads)",
                gib,
                processTime(() -> parallel(file, sizes, 1)));
        double copy = time(() -> {
            byte[] batch = new byte[BUFFER + sizes.max()];
            return chunks(file, sizes, (d, s, l) -> {
                System.arraycopy(d, s, batch, 0, l);
                return batch[l / 2];
            });
        });
        report("  + copy of each chunk into a batch", gib, copy - chunking);
        double digests = time(() -> chunks(
                file,
                sizes,
                (d, s, l) -> DigestAlgorithm.SHA512_256.digest(d, s, l).hashCode()));
        report("  + SHA-512/256 per chunk (zero chunks skipped, as make)", gib, digests - chunking);
        MessageDigest prototype = DigestAlgorithm.SHA512_256.newDigest();
        double cloned = time(() -> chunks(file, sizes, (d, s, l) -> {
            try {
                MessageDigest md = (MessageDigest) prototype.clone();
                md.update(d, s, l);
                return md.digest()[0];
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }));
        report("  + SHA-512/256 per chunk, clone() per chunk, no zero skip", gib, cloned - chunking);
        double fresh = time(() -> chunks(file, sizes, (d, s, l) -> {
            MessageDigest md = DigestAlgorithm.SHA512_256.newDigest();
            md.update(d, s, l);
            return md.digest()[0];
        }));
        report("  + SHA-512/256 per chunk, getInstance() per chunk, no zero skip", gib, fresh - chunking);
        MessageDigest reused = DigestAlgorithm.SHA512_256.newDigest();
        double reuse = time(() -> chunks(file, sizes, (d, s, l) -> {
            reused.update(d, s, l);
            return reused.digest()[0];
        }));
        report("  + SHA-512/256 per chunk, one reused digest, no zero skip", gib, reuse - chunking);
        double read = time(() -> readAll(file, false));
        MessageDigest blob = DigestAlgorithm.SHA512_256.newDigest();
        double blobDigest = time(() -> {
            forEachBuffer(file, (buffer, n) -> blob.update(buffer, 0, n));
            return blob.digest()[0];
        });
        report("whole-blob SHA-512/256 (read subtracted)", gib, blobDigest - read);
        zstd(file, sizes, gib);
    }

    private static void zstd(Path file, ChunkSizes sizes, double gib) throws IOException {
        long[] compressedBytes = {0};
        double zstd = time(() -> {
            Set<Integer> seen = new HashSet<>(); // per pass: the warm-up pass must not leave it full
            compressedBytes[0] = 0;
            return chunks(file, sizes, (d, s, l) -> {
                // Each distinct chunk once, as make does into an empty store (hash of content as a cheap stand-in).
                if (!seen.add(java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(d, s, s + l)))) {
                    return 0;
                }
                long n = ChunkCodec.encode(d, s, l, Compression.ZSTD).bytes().length;
                compressedBytes[0] += n;
                return n;
            });
        });
        double dedupOnly = time(() -> {
            Set<Integer> again = new HashSet<>();
            return chunks(
                    file,
                    sizes,
                    (d, s, l) ->
                            again.add(java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(d, s, s + l))) ? 1 : 0);
        });
        report("  + zstd level 3 of each distinct chunk", gib, zstd - dedupOnly);
        System.out.printf(Locale.ROOT, "(zstd output %.1f MiB)%n", compressedBytes[0] / 1048576.0);
    }

    private interface Work {
        long run() throws IOException;
    }

    private static double time(Work work) throws IOException {
        work.run(); // warm-up (JIT): the whole pass once, then measured
        long t0 = THREADS.getCurrentThreadCpuTime();
        long sink = work.run();
        double s = (THREADS.getCurrentThreadCpuTime() - t0) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        return s;
    }

    /** CPU time of the whole process (for work on several threads). */
    private static double processTime(Work work) throws IOException {
        work.run();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long t0 = os.getProcessCpuTime();
        work.run();
        return (os.getProcessCpuTime() - t0) / 1e9;
    }

    private static void report(String what, double gib, double seconds) {
        System.out.printf(Locale.ROOT, "%-70s %6.2f CPU-s/GiB%n", what, seconds / gib);
    }

    private interface BufferWork {
        void run(byte[] buffer, int n) throws IOException;
    }

    private static void forEachBuffer(Path file, BufferWork work) throws IOException {
        byte[] buffer = new byte[BUFFER];
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer view = ByteBuffer.wrap(buffer);
            while (true) {
                view.clear();
                int n = 0;
                while (view.hasRemaining()) {
                    int r = ch.read(view);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n == 0) {
                    return;
                }
                work.run(buffer, n);
            }
        }
    }

    private static long readAll(Path file, boolean direct) throws IOException {
        ByteBuffer view = direct ? ByteBuffer.allocateDirect(BUFFER) : ByteBuffer.allocate(BUFFER);
        long total = 0;
        try (FileChannel ch = FileChannel.open(file)) {
            while (true) {
                view.clear();
                int r = ch.read(view);
                if (r < 0) {
                    return total;
                }
                total += r + view.get(0);
            }
        }
    }

    private static long chunks(Path file, ChunkSizes sizes, ChunkWork work) throws IOException {
        long[] sink = {0};
        try (FileChannel ch = FileChannel.open(file)) {
            new ChunkSplitter(sizes).split(ch, (offset, buffer, start, length) -> {
                sink[0] += work.run(buffer, start, length);
            });
        }
        return sink[0];
    }

    private static long parallel(Path file, ChunkSizes sizes, int threads) throws IOException {
        long[] sink = {0};
        try (FileChannel ch = FileChannel.open(file)) {
            new ParallelSplitter(sizes, threads).split(PositionalInput.of(ch), (o, b, s, l) -> sink[0] += l);
        }
        return sink[0];
    }
}
