package dev.jcasync.bench;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.index.IndexWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing and writing the index of a 64 GiB image (about a million chunks): index handling must
 * never be what a big extract waits for.
 *
 * Run: {@code java -jar bench/target/benchmarks.jar IndexBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class IndexBenchmark {
    private byte[] indexBytes;
    private BlobIndex index;

    @Setup
    public void setup() {
        List<IndexEntry> entries = new ArrayList<>();
        byte[] bytes = BenchData.random(5, 1 << 20);
        long offset = 0;
        for (int i = 0; i < 1_000_000; i++) {
            int size = 16384 + (i * 7919) % 200_000;
            entries.add(new IndexEntry(offset, size, DigestAlgorithm.SHA512_256.digest(bytes, i % 1000, 64)));
            offset += size;
        }
        index = new BlobIndex(BlobIndex.featureFlagsFor(DigestAlgorithm.SHA512_256), ChunkSizes.DEFAULT, entries);
        indexBytes = IndexWriter.toBytes(index);
    }

    @Benchmark
    public Object read() throws IOException {
        return IndexReader.parse(indexBytes, "bench.caibx");
    }

    @Benchmark
    public Object write() {
        return IndexWriter.toBytes(index);
    }
}
