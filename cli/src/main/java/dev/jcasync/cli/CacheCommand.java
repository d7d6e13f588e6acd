package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.maintain.CacheFiller;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.Compression;
import dev.jcasync.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
        name = "cache",
        mixinStandardHelpOptions = true,
        description = {
            "Prefill a local store with every chunk the indexes need (desync cache).",
            "Chunks missing from the --cache directory are fetched from the --store stores and verified;",
            "later extracts with --cache=DIR read from it first."
        })
final class CacheCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    JsonOption json;

    @Option(
            names = "--cache",
            required = true,
            paramLabel = "DIR",
            description = "Local store to fill (created if missing).")
    Path cache;

    @Option(
            names = "--compression",
            paramLabel = "keep|zstd|xz|gzip|lz4|none",
            converter = KeepOrCompression.class,
            description = "Format of the cached chunk files (default keep: as the source has them). "
                    + "lz4 decompresses fastest, but casync and desync cannot read it.")
    Compression compression; // null: keep

    /** {@code keep} (null), or a compression as make's --compression takes it. */
    static final class KeepOrCompression implements ITypeConverter<Compression> {
        @Override
        public Compression convert(String value) {
            if (value.equals("keep")) {
                return null;
            }
            try {
                return new Values.Compressions().convert(value);
            } catch (TypeConversionException e) {
                throw new TypeConversionException("expected keep, zstd, xz, gzip, lz4, none or default");
            }
        }
    }

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            converter = Values.Positive.class,
            description = "Chunks fetched at once (default: ${DEFAULT-VALUE}).")
    int concurrency = 8;

    @Parameters(
            arity = "1..*",
            paramLabel = "INDEX",
            description = "Indexes whose chunks to cache (.caibx or .caidx files, or http(s) URLs).")
    List<String> indexes;

    @Override
    public Integer call() throws IOException {
        for (String index : indexes) {
            Archives.refuseCatar(index);
        }
        Compression format = compression;
        if (format != null) {
            CompressionOption.warnIfJcasyncOnly(format, spec.commandLine().getErr());
        }
        List<BlobIndex> blobs = new ArrayList<>();
        for (String index : indexes) {
            blobs.add(store.readIndex(index));
        }
        try (OpenStores sources = store.open(indexes.get(0))) {
            ChunkStore target = new LocalStore(cache);
            CacheFiller.Result r = new CacheFiller(sources.list(), target, format, concurrency).fill(blobs);
            if (json.enabled) {
                new JsonWriter(spec.commandLine().getOut())
                        .beginObject()
                        .field("cache", cache.toString())
                        .field("chunks_fetched", r.fetched())
                        .field("chunks_present", r.present())
                        .field("transferred_bytes", r.transferred())
                        .endObject()
                        .finish();
            } else {
                spec.commandLine()
                        .getOut()
                        .printf(
                                "cached %d chunks in %s (%d bytes transferred), %d already there%n",
                                r.fetched(), cache, r.transferred(), r.present());
            }
        }
        return 0;
    }
}
