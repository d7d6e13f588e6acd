package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.vectors.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Small readers for the tests of the store commands: an index's chunk ids, a command's JSON. */
final class Inspect {
    private Inspect() {}

    static Set<ChunkId> ids(Path... indexes) throws IOException {
        Set<ChunkId> ids = new LinkedHashSet<>();
        for (Path index : indexes) {
            for (IndexEntry e : IndexReader.read(index).entries()) {
                ids.add(e.id());
            }
        }
        return ids;
    }

    /** The number of entries (chunks, repeats included) of an index. */
    static int entries(Path index) throws IOException {
        return IndexReader.read(index).entries().size();
    }

    /** The one JSON object a successful {@code --json} run printed. */
    static Map<String, Object> json(Cli.Run run) {
        return json(run.assertOk().out());
    }

    static Map<String, Object> json(String text) {
        return Json.object(Json.parse(text));
    }

    static long number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).longValue();
    }
}
