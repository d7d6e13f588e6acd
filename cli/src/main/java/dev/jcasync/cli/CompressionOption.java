package dev.jcasync.cli;

import dev.jcasync.store.Compression;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --compression} of the chunk files a command writes (make, chop); casync's other verbs accept it. */
final class CompressionOption {
    @Option(
            names = "--compression",
            paramLabel = "zstd|xz|gzip|lz4|none",
            converter = Values.Compressions.class,
            description =
                    "Chunk file compression (default zstd, also spelled default). lz4 is a jcasync extension: casync and desync cannot read it.")
    Compression compression = Compression.ZSTD;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The format; warns on stderr if casync could not read the store afterwards. */
    Compression value() {
        warnIfJcasyncOnly(compression, command.commandLine().getErr());
        return compression;
    }

    /** The store keeps working for jcasync, so this is a warning, not an error. */
    static void warnIfJcasyncOnly(Compression c, PrintWriter err) {
        if (!c.casyncReadable()) {
            err.println("jcasync: warning: --compression=" + c.cliName()
                    + " writes chunk files that casync and desync cannot read");
            err.flush();
        }
    }
}
