package dev.jcasync.bench;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.ChunkSplitter;
import dev.jcasync.chunker.Chunker;
import dev.jcasync.chunker.DigestAlgorithm;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-threaded chunker throughput on seeded data held in memory (random, or disk-image-like).
 *
 * <p>One operation processes the whole buffer ({@link #sizeMiB} MiB, 64 by default), so
 * MiB/s = score (ops/s) x sizeMiB. Every benchmark runs on one thread: the score is per core.
 *
 * <ul>
 *   <li>{@link #boundaries}: {@link ChunkSplitter} over an in-memory channel; the consumer only
 *       counts chunks and bytes (boundary search + the splitter's buffering).</li>
 *   <li>{@link #boundariesAndDigest}: the same plus SHA-512/256 of every chunk, which is what
 *       naming the chunks costs.</li>
 *   <li>{@link #rawCut}: {@link Chunker#cut} straight over the array, no channel or copying, to
 *       show how much of {@link #boundaries} is the boundary scan itself.</li>
 * </ul>
 *
 * Run: {@code java -jar bench/target/benchmarks.jar ChunkerBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ChunkerBenchmark {
    /** Size of the input in MiB; one benchmark operation chunks all of it. */
    @Param("64")
    public int sizeMiB;

    /** {@code random}: incompressible bytes; {@code image}: 40% random, 40% zero runs, 20% text extents. */
    @Param({"random", "image"})
    public String content;

    /** Seed for the pseudo-random input, so every run chunks the same bytes. */
    @Param("20240601")
    public long seed;

    private byte[] data;
    private ChunkSplitter splitter;
    private Chunker chunker;

    @Setup(Level.Trial)
    public void setup() {
        data = content.equals("image")
                ? BenchData.imageLike(seed, sizeMiB << 20)
                : BenchData.random(seed, sizeMiB << 20);
        splitter = new ChunkSplitter(ChunkSizes.DEFAULT);
        chunker = new Chunker(ChunkSizes.DEFAULT);
    }

    /** Boundaries only: split the buffer, count the chunks. Returns chunks + bytes so nothing is dead code. */
    @Benchmark
    public long boundaries() throws IOException {
        long[] chunks = new long[1];
        long bytes = splitter.split(new ArrayChannel(data), (offset, buffer, start, length) -> chunks[0]++);
        return chunks[0] + bytes;
    }

    /** Boundaries plus the SHA-512/256 id of every chunk. */
    @Benchmark
    public long boundariesAndDigest(Blackhole bh) throws IOException {
        long[] chunks = new long[1];
        long bytes = splitter.split(new ArrayChannel(data), (offset, buffer, start, length) -> {
            bh.consume(DigestAlgorithm.SHA512_256.digest(buffer, start, length));
            chunks[0]++;
        });
        return chunks[0] + bytes;
    }

    /** The boundary scan alone: {@link Chunker#cut} over the whole array in place. */
    @Benchmark
    public long rawCut() {
        long chunks = 0;
        int start = 0;
        int n = data.length;
        while (start < n) {
            int length = chunker.cut(data, start, n - start, true);
            start += length;
            chunks++;
        }
        return chunks;
    }
}
