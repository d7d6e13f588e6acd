package dev.jcasync.cli;

import dev.jcasync.store.Compression;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --compression} of the chunk files a command writes (make, chop). */
final class CompressionOption {
    @Option(names = "--compression", paramLabel = "zstd|xz|gzip|lz4|none",
            description = "Chunk file compression (default zstd). lz4 is a jcasync extension: casync and desync cannot read it.")
    String name = "zstd";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The format; warns on stderr if casync could not read the store afterwards. */
    Compression value() {
        Compression c = parse(name);
        warnIfJcasyncOnly(c, command.commandLine().getErr());
        return c;
    }

    static Compression parse(String name) {
        try {
            return Compression.fromCliName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compression=" + name + ": " + e.getMessage());
        }
    }

    /** The store keeps working for jcasync, so this is a warning, not an error. */
    static void warnIfJcasyncOnly(Compression c, PrintWriter err) {
        if (!c.casyncReadable()) {
            err.println("jcasync: warning: --compression=" + c.cliName() + " writes chunk files that casync and desync cannot read");
            err.flush();
        }
    }
}
