package dev.jcasync.cli;

import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.maintain.Verifier;
import dev.jcasync.maintain.VerifyReport;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.MaintainableStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Re-read every chunk file of a store (a directory or S3): it must decode, and its data must hash to its name.",
            "Reports corrupt files (cannot be decoded: truncated, damaged), mismatched ones (the data of",
            "another id: a flipped byte, a misnamed file) and misplaced ones (in the wrong prefix directory).",
            "--repair deletes bad files and moves misplaced ones where they belong; --repair-from=STORE",
            "also puts a verified copy from STORE in place of each bad file.",
            "Exit status 1 if anything is wrong and was not fixed (a deleted chunk is not fixed)."
        })
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Mixin
    ConcurrencyOption concurrency;

    @Mixin
    JsonOption json;

    @Option(names = "--repair", description = "Delete corrupt and mismatched files, move misplaced ones.")
    boolean repair;

    @Option(
            names = "--repair-from",
            paramLabel = "STORE",
            description =
                    "Repair (implies --repair), replacing bad files with verified copies from STORE (a directory or http(s) URL).")
    String repairFrom;

    @Option(
            names = "--digest",
            paramLabel = "sha512-256|sha256",
            converter = Values.Digest.class,
            description = "Accept only chunk names made with this digest (default: either, as casync reads both).")
    DigestAlgorithm digest;

    @Override
    public Integer call() throws IOException {
        try (MaintainableStore target = LocalStoreArg.maintainable(store, null, "verify")) {
            return verify(target);
        }
    }

    private int verify(MaintainableStore target) throws IOException {
        List<DigestAlgorithm> digests = digest == null ? List.of(DigestAlgorithm.values()) : List.of(digest);
        Verifier verifier = new Verifier(target, digests, concurrency.value());
        VerifyReport report;
        if (repairFrom != null) {
            try (ChunkStore source = store.openOne(repairFrom)) {
                report = verifier.repair(source);
            }
        } else {
            report = repair ? verifier.repair(null) : verifier.verify();
        }
        if (json.enabled) {
            printJson(target, report);
        } else {
            printText(target, report);
        }
        if (!report.ok()) {
            long unfixed = report.problems().stream().filter(p -> !p.fixed()).count();
            spec.commandLine()
                    .getErr()
                    .println("jcasync: store " + LocalStoreArg.display(target) + ": " + unfixed + " bad chunk file"
                            + (unfixed == 1 ? "" : "s") + (repair || repairFrom != null ? " not fixed" : ""));
            return 1;
        }
        return 0;
    }

    private void printText(MaintainableStore target, VerifyReport report) {
        PrintWriter out = spec.commandLine().getOut();
        for (VerifyReport.Problem p : report.problems()) {
            out.printf(
                    "%-9s %s: %s%s%n",
                    name(p.kind()),
                    p.file().name(),
                    p.detail(),
                    p.action() == VerifyReport.Action.NONE ? "" : " [" + name(p.action()) + "]");
        }
        out.printf(
                "checked %d chunk files (%d bytes): %d bad%n",
                report.files(), report.bytes(), report.problems().size());
        out.flush();
    }

    private void printJson(MaintainableStore target, VerifyReport report) {
        JsonWriter w = new JsonWriter(spec.commandLine().getOut())
                .beginObject()
                .field("store", LocalStoreArg.display(target))
                .field("files", report.files())
                .field("bytes", report.bytes())
                .field("ok", report.ok())
                .name("problems")
                .beginArray();
        for (VerifyReport.Problem p : report.problems()) {
            w.beginObject()
                    .field("path", p.file().name())
                    .field("id", p.file().id().toHex())
                    .field("problem", name(p.kind()))
                    .field("detail", p.detail())
                    .field("action", name(p.action()))
                    .endObject();
        }
        w.endArray().endObject().finish();
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
