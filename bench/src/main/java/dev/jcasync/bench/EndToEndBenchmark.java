package dev.jcasync.bench;

import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * make and extract end to end on all cores, on 256 MiB of image-like data in memory, with the
 * store in a temporary directory ({@code -jvmArgsAppend -Djava.io.tmpdir=/dev/shm} leaves the disk
 * out). The score is milliseconds per run: MiB/s = sizeMiB * 1000 / score. Removing the previous
 * run's store or output is not timed.
 *
 * <ul>
 *   <li>{@link #makeIndexOnly}: chunk + name (no store), what seeding costs per byte;</li>
 *   <li>{@link #makeIntoFullStore}: every chunk already stored (a new version of an image);</li>
 *   <li>{@link #makeIntoEmptyStore}: every chunk compressed and written;</li>
 *   <li>{@link #extract}: from the local store into a new file.</li>
 * </ul>
 *
 * Run: {@code java -jar bench/target/benchmarks.jar EndToEndBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-XX:MaxNewSize=32m"})
@Warmup(iterations = 2)
@Measurement(iterations = 4)
public class EndToEndBenchmark {
    @Param("256")
    public int sizeMiB;

    private byte[] data;
    private Path dir;
    private LocalStore fullStore;
    private BlobIndex index;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        data = BenchData.imageLike(11, sizeMiB << 20);
        dir = Files.createTempDirectory("jcasync-e2e");
        fullStore = new LocalStore(dir.resolve("full.castr"));
        index = new BlobMaker(MakeOptions.defaults()).make(channel(), fullStore).index();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        delete(dir);
    }

    /** What make reads: one bulk copy per read, as from a file, not the 8 KiB steps of Channels.newChannel. */
    private java.nio.channels.ReadableByteChannel channel() {
        return new ArrayChannel(data);
    }

    /** A fresh empty store and no output for each run, outside the timing. */
    @Setup(Level.Invocation)
    public void clean() throws IOException {
        delete(dir.resolve("empty.castr"));
        Files.deleteIfExists(dir.resolve("out.img"));
    }

    @Benchmark
    public Object makeIndexOnly() throws IOException {
        return new BlobMaker(MakeOptions.defaults()).make(channel(), null);
    }

    @Benchmark
    public Object makeIntoFullStore() throws IOException {
        return new BlobMaker(MakeOptions.defaults()).make(channel(), fullStore);
    }

    @Benchmark
    public Object makeIntoEmptyStore() throws IOException {
        return new BlobMaker(MakeOptions.defaults()).make(channel(), new LocalStore(dir.resolve("empty.castr")));
    }

    @Benchmark
    public Object extract() throws IOException {
        return new Assembler(List.of(fullStore), ExtractOptions.defaults().withSeedOutput(false))
                .extract(index, dir.resolve("out.img"));
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
