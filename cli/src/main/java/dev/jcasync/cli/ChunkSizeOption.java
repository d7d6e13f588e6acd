package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkSizes;
import picocli.CommandLine.Option;

/** {@code --chunk-size}: what make chunks with; other casync verbs accept and check it (casync's global option). */
final class ChunkSizeOption {
    @Option(
            names = "--chunk-size",
            paramLabel = "AVG|MIN:AVG:MAX",
            converter = Values.Sizes.class,
            description =
                    "Chunk sizes, e.g. 64K or 16K:64K:256K (default 16K:64K:256K; AVG alone means AVG/4:AVG:AVG*4).")
    ChunkSizes sizes = ChunkSizes.DEFAULT;
}
