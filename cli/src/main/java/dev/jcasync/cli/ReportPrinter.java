package dev.jcasync.cli;

import dev.jcasync.assemble.ExtractReport;
import java.io.PrintWriter;

/** Prints an extract report (or a dry run's plan) as a short aligned table. */
final class ReportPrinter {
    private ReportPrinter() {}

    static void print(ExtractReport r, PrintWriter out) {
        String verb = r.dryRun() ? "would extract" : "extracted";
        out.printf("%s %d bytes (%d chunks, %d distinct) in %.2f s%n", verb, r.blobSize(), r.chunks(),
                r.distinctChunks(), r.elapsed().toNanos() / 1e9);
        row(out, "already in place", r.inPlace().chunks(), r.inPlace().bytes(), "");
        row(out, "from seeds", r.fromSeeds().chunks(), r.fromSeeds().bytes(), "");
        row(out, "repeated in image", r.repeated().chunks(), r.repeated().bytes(), "");
        row(out, "zero chunks (made here)", r.zeros().chunks(), r.zeros().bytes(), "");
        for (ExtractReport.StoreTally s : r.fromStores()) {
            row(out, "from " + s.location(), s.chunks(), s.bytes(), String.format(", %d bytes %s", s.fileBytes(),
                    s.remote() ? "transferred" : "read"));
        }
        out.printf("  %s %d bytes%n", r.dryRun() ? "download:" : "transferred:", r.bytesTransferred());
        out.flush();
    }

    private static void row(PrintWriter out, String what, long chunks, long bytes, String extra) {
        out.printf("  %-26s %8d chunks %14d bytes%s%n", what + ":", chunks, bytes, extra);
    }
}
