package dev.jcasync.cli;

import dev.jcasync.assemble.Assembler;
import dev.jcasync.assemble.ExtractResult;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.ChunkStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Rebuild the blob described by INDEX.caibx into OUTPUT.",
                "Every chunk is verified against its id; OUTPUT appears only when complete."})
final class ExtractCommand implements Callable<Integer> {
    @Mixin StoreOptions store;
    @Mixin ConcurrencyOption concurrency;
    @Mixin VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index to extract (.caibx).")
    Path index;

    @Parameters(index = "1", paramLabel = "OUTPUT", description = "File to write.")
    Path output;

    @Override
    public Integer call() throws IOException {
        long started = System.nanoTime();
        BlobIndex blob = IndexReader.read(index);
        List<ChunkStore> stores = store.open(index);
        ExtractResult result = new Assembler(new ChunkReader(stores, blob.digest()), concurrency.value()).extract(blob, output);
        verbose.report("%s: %d bytes, %d chunks (%d distinct), %.2f s", output, result.bytes(), result.chunks(),
                result.distinctChunks(), (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
