package dev.jcasync.extract;

import dev.jcasync.chunker.ChunkId;
import java.time.Duration;
import java.util.List;

/**
 * Where every distinct chunk of an extract comes from, and what that adds up to: counts and bytes
 * by source and the exact download. A dry run ({@link Assembler#plan}) and {@code info} get one
 * without writing anything (and without an output path); a real run carries out the same steps and
 * reports the same tallies ({@link #report}). Tallies count places in the output: a chunk that occurs
 * three times counts once at its source and twice as {@code repeated} (places already right count
 * as {@code inPlace}).
 *
 * @param sources per distinct chunk, in the order of first occurrence in the index
 * @param inPlace ranges of the output that already held the right chunk
 * @param fromSeeds chunks copied from seeds (and, in place, from the output's old content)
 * @param repeated further copies of a chunk the extract already had
 * @param zeros all-zero chunks: recognised by their id and made locally, never fetched
 * @param fromStores per store, in lookup order: chunks obtained and the bytes of their files
 */
public record ExtractPlan(
        long blobSize,
        int chunks,
        List<Chunk> sources,
        ExtractReport.Tally inPlace,
        ExtractReport.Tally fromSeeds,
        ExtractReport.Tally repeated,
        ExtractReport.Tally zeros,
        List<ExtractReport.StoreTally> fromStores) {
    /** Kinds of source. */
    public enum Kind {
        /** Every place of the chunk already held it, or one did and the others are copied from there. */
        IN_PLACE,
        /** In place: found elsewhere in the output's old content (moved data) and copied. */
        OUTPUT,
        /** A seed file (chunked during the extract, or read through its index and verified). */
        SEED,
        /** All zeros: made locally. */
        ZERO,
        /** A chunk store (the cache store is one too). */
        STORE
    }

    /**
     * One source: its kind, where ({@code location}: the seed file or the store; null otherwise) and,
     * for a store, the size of the chunk file read (compressed; a dry run asks the store for it).
     */
    public record From(Kind kind, String location, long fileBytes) {
        static final From IN_PLACE = new From(Kind.IN_PLACE, null, 0);
        static final From ZERO = new From(Kind.ZERO, null, 0);
    }

    /** A distinct chunk and its source. */
    public record Chunk(ChunkId id, int size, From from) {}

    public ExtractPlan {
        sources = List.copyOf(sources);
        fromStores = List.copyOf(fromStores);
    }

    public int distinctChunks() {
        return sources.size();
    }

    /** Bytes of chunk files read from remote stores: what the network carries, bar HTTP headers. */
    public long downloadBytes() {
        return fromStores.stream()
                .filter(ExtractReport.StoreTally::remote)
                .mapToLong(ExtractReport.StoreTally::fileBytes)
                .sum();
    }

    /** Chunks fetched from remote stores. */
    public long downloadChunks() {
        return fromStores.stream()
                .filter(ExtractReport.StoreTally::remote)
                .mapToLong(ExtractReport.StoreTally::chunks)
                .sum();
    }

    /** This plan as the report of a run that took {@code elapsed} (or of a dry run). */
    public ExtractReport report(Duration elapsed, boolean dryRun) {
        return new ExtractReport(
                blobSize, chunks, distinctChunks(), inPlace, fromSeeds, repeated, zeros, fromStores, elapsed, dryRun);
    }
}
