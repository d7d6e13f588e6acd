package dev.jcasync.bench;

import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.Compression;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-chunk costs on one core, for a 64 KiB chunk (casync's average): digest, zstd compression
 * (level 3, as casync) and decompression, on random and on compressible text data.
 * MiB/s = ops/s / 16.
 *
 * Run: {@code java -jar bench/target/benchmarks.jar CodecBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CodecBenchmark {
    @Param({"random", "text"})
    public String content;

    private byte[] chunk;
    private ChunkFile compressed;

    @Setup
    public void setup() throws IOException {
        chunk = content.equals("random") ? BenchData.random(7, 64 << 10) : BenchData.text(64 << 10);
        compressed = ChunkCodec.encode(chunk, 0, chunk.length, Compression.ZSTD);
    }

    @Benchmark
    public Object sha512_256() {
        return DigestAlgorithm.SHA512_256.digest(chunk);
    }

    @Benchmark
    public Object sha256() {
        return DigestAlgorithm.SHA256.digest(chunk);
    }

    @Benchmark
    public Object zstdCompress() throws IOException {
        return ChunkCodec.encode(chunk, 0, chunk.length, Compression.ZSTD);
    }

    @Benchmark
    public Object zstdDecompress() throws IOException {
        return ChunkCodec.decode(compressed, chunk.length);
    }
}
