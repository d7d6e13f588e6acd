package dev.jcasync.extract;

import java.time.Duration;
import java.util.List;

/**
 * Where the bytes of an extract came from (or, for a dry run, would come from). Each distinct
 * chunk is counted once at its source; its further occurrences count as {@code repeated}.
 *
 * @param inPlace ranges of the output that already held the right chunk
 * @param fromSeeds chunks copied from seeds
 * @param repeated further copies of a chunk the extract already had (self-seeding)
 * @param zeros all-zero chunks: recognised by their id and made locally, never fetched
 * @param fromStores per store, in lookup order: chunks obtained and the bytes of their files
 */
public record ExtractReport(
        long blobSize,
        int chunks,
        int distinctChunks,
        Tally inPlace,
        Tally fromSeeds,
        Tally repeated,
        Tally zeros,
        List<StoreTally> fromStores,
        Duration elapsed,
        boolean dryRun) {
    public record Tally(long chunks, long bytes) {}

    /** {@code bytes} is chunk data, {@code fileBytes} the stored (usually compressed) size that was transferred. */
    public record StoreTally(String location, boolean remote, long chunks, long bytes, long fileBytes) {}

    /** Bytes of chunk files read from remote stores: what the network carries, bar HTTP headers. */
    public long bytesTransferred() {
        return fromStores.stream()
                .filter(StoreTally::remote)
                .mapToLong(StoreTally::fileBytes)
                .sum();
    }
}
