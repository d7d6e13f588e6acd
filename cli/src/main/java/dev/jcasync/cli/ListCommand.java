package dev.jcasync.cli;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Print the chunks of INDEX.caibx, one per line: offset, size, chunk id.",
                "(casync list refuses blob indexes; this is jcasync's listing of a blob's chunks.)"})
final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Parameters(index = "0", paramLabel = "INDEX", description = "Index to list (.caibx).")
    Path index;

    @Override
    public Integer call() throws IOException {
        BlobIndex blob = IndexReader.read(index);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            JsonWriter w = new JsonWriter(out).beginObject().field("index", index.toString()).name("chunks").beginArray();
            for (IndexEntry e : blob.entries()) {
                w.beginObject().field("offset", e.offset()).field("size", e.size()).field("id", e.id().toHex()).endObject();
            }
            w.endArray().endObject().finish();
            return 0;
        }
        for (IndexEntry e : blob.entries()) {
            out.println(e.offset() + " " + e.size() + " " + e.id().toHex());
        }
        out.flush();
        return 0;
    }
}
