package dev.jcasync.cli;

import dev.jcasync.extract.ExtractReport;
import java.io.PrintWriter;

/** Prints an extract report (or a dry run's plan): a short aligned table, or JSON. */
final class ReportPrinter {
    private ReportPrinter() {}

    static void print(ExtractReport r, PrintWriter out) {
        String verb = r.dryRun() ? "would extract" : "extracted";
        out.printf(
                "%s %d bytes (%d chunks, %d distinct) in %.2f s%n",
                verb, r.blobSize(), r.chunks(), r.distinctChunks(), r.elapsed().toNanos() / 1e9);
        row(out, "already in place", r.inPlace().chunks(), r.inPlace().bytes(), "");
        row(out, "from seeds", r.fromSeeds().chunks(), r.fromSeeds().bytes(), "");
        row(out, "repeated in image", r.repeated().chunks(), r.repeated().bytes(), "");
        row(out, "zero chunks (made here)", r.zeros().chunks(), r.zeros().bytes(), "");
        for (ExtractReport.StoreTally s : r.fromStores()) {
            row(
                    out,
                    "from " + s.location(),
                    s.chunks(),
                    s.bytes(),
                    String.format(", %d bytes %s", s.fileBytes(), s.remote() ? "transferred" : "read"));
        }
        out.printf("  %s %d bytes%n", r.dryRun() ? "download:" : "transferred:", r.bytesTransferred());
        out.flush();
    }

    /** The report as one JSON object (schema in the README). */
    static void printJson(ExtractReport r, String index, String output, PrintWriter out) {
        JsonWriter w = new JsonWriter(out)
                .beginObject()
                .field("index", index)
                .field("output", output)
                .field("dry_run", r.dryRun())
                .field("size", r.blobSize())
                .field("chunks", r.chunks())
                .field("distinct_chunks", r.distinctChunks())
                .field("elapsed_ms", r.elapsed().toMillis());
        tally(w, "in_place", r.inPlace());
        tally(w, "from_seeds", r.fromSeeds());
        tally(w, "repeated", r.repeated());
        tally(w, "zeros", r.zeros());
        w.name("stores").beginArray();
        for (ExtractReport.StoreTally s : r.fromStores()) {
            w.beginObject()
                    .field("location", s.location())
                    .field("remote", s.remote())
                    .field("chunks", s.chunks())
                    .field("bytes", s.bytes())
                    .field("file_bytes", s.fileBytes())
                    .endObject();
        }
        w.endArray()
                .field("transferred_bytes", r.bytesTransferred())
                .endObject()
                .finish();
    }

    private static void tally(JsonWriter w, String name, ExtractReport.Tally t) {
        w.name(name)
                .beginObject()
                .field("chunks", t.chunks())
                .field("bytes", t.bytes())
                .endObject();
    }

    private static void row(PrintWriter out, String what, long chunks, long bytes, String extra) {
        out.printf("  %-26s %8d chunks %14d bytes%s%n", what + ":", chunks, bytes, extra);
    }
}
