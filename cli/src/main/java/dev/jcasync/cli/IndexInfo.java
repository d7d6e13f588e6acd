package dev.jcasync.cli;

import dev.jcasync.extract.ExtractPlan;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.maintain.StoreCoverage;
import java.io.PrintWriter;
import java.util.List;

/**
 * What {@code jcasync info} found out about an index, and its two renderings: text for people,
 * JSON for scripts (schema in the README; keys are only ever added).
 *
 * @param stores what each store holds of the index's chunks (empty if no store was asked)
 * @param missing distinct chunks no store holds, all-zero chunks aside (extract makes those); null without stores
 * @param plan the plan of an extract to a new output; null without stores, or when a chunk is missing everywhere
 */
record IndexInfo(
        String location,
        BlobIndex index,
        int distinctChunks,
        List<StoreCoverage> stores,
        Long missing,
        ExtractPlan plan,
        boolean seeded) {

    void printText(PrintWriter out) {
        out.printf("index:          %s%n", location);
        out.printf("size:           %d bytes%n", index.blobSize());
        out.printf("chunks:         %d (%d distinct)%n", index.entries().size(), distinctChunks);
        out.printf(
                "chunk size:     %d:%d:%d (min:avg:max)%n",
                index.sizes().min(), index.sizes().avg(), index.sizes().max());
        out.printf("digest:         %s%n", index.digest().cliName());
        out.printf("feature flags:  0x%016x%n", index.featureFlags());
        for (StoreCoverage s : stores) {
            out.printf(
                    "store:          %s: %d of %d chunks, %d bytes%n",
                    s.location(), s.chunks(), distinctChunks, s.bytes());
        }
        if (missing != null) {
            out.printf("missing:        %d chunks%n", missing);
        }
        if (plan != null && seeded) {
            out.printf(
                    "from seeds:     %d chunks, %d bytes%n",
                    plan.fromSeeds().chunks(), plan.fromSeeds().bytes());
        }
        if (plan != null) {
            out.printf("download:       %d bytes (%d chunks)%n", plan.downloadBytes(), downloadChunks());
        } else if (!stores.isEmpty()) {
            out.printf("download:       unknown: the stores lack %d chunks%n", missing);
        }
        out.flush();
    }

    void printJson(PrintWriter out) {
        JsonWriter json = new JsonWriter(out)
                .beginObject()
                .field("index", location)
                .field("size", index.blobSize())
                .field("chunks", index.entries().size())
                .field("distinct_chunks", distinctChunks)
                .name("chunk_size")
                .beginObject()
                .field("min", index.sizes().min())
                .field("avg", index.sizes().avg())
                .field("max", index.sizes().max())
                .endObject()
                .field("digest", index.digest().cliName())
                .field("feature_flags", String.format("%016x", index.featureFlags()));
        json.name("stores").beginArray();
        for (StoreCoverage s : stores) {
            json.beginObject()
                    .field("location", s.location())
                    .field("remote", s.remote())
                    .field("chunks_present", s.chunks())
                    .field("bytes", s.bytes())
                    .endObject();
        }
        json.endArray().field("missing_chunks", missing);
        json.name("from_seeds");
        if (plan != null && seeded) {
            json.beginObject()
                    .field("chunks", plan.fromSeeds().chunks())
                    .field("bytes", plan.fromSeeds().bytes())
                    .endObject();
        } else {
            json.nullValue();
        }
        json.field("download_chunks", plan == null ? null : downloadChunks())
                .field("download_bytes", plan == null ? null : plan.downloadBytes())
                .endObject()
                .finish();
    }

    private Long downloadChunks() {
        return plan.downloadChunks();
    }
}
