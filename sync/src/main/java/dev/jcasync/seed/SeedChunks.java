package dev.jcasync.seed;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Ranges;
import dev.jcasync.store.ChunkVerifier;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where each chunk id can be found in the seeds, and verified reads from there. Locations come from
 * the seeds' indexes, or are noted while a seed is chunked ({@link #note}). Reads are positional,
 * so any number of threads can copy from the same seed at once.
 */
public final class SeedChunks implements Closeable {
    private record Location(Path file, FileChannel channel, long offset, int size) {}

    /** A verified copy of a chunk, and the seed it was read from. */
    public record Copy(byte[] data, Path file) {}

    private final Map<ChunkId, List<Location>> locations = new ConcurrentHashMap<>();
    private final Map<Path, FileChannel> open = new ConcurrentHashMap<>();
    private final DigestAlgorithm digest;
    private final ChunkVerifier verifier;

    /** The chunks of the indexed {@code seeds} (seeds without an index, or with another digest, are left out). */
    public SeedChunks(List<Seed> seeds, DigestAlgorithm digest) throws IOException {
        this.digest = digest;
        this.verifier = ChunkVerifier.of(digest);
        try {
            for (Seed seed : seeds) {
                if (!seed.isIndexed() || seed.index().digest() != digest) {
                    continue; // ids of another digest can never match
                }
                FileChannel ch = channel(seed.file());
                for (IndexEntry e : seed.index().entries()) {
                    locations
                            .computeIfAbsent(e.id(), k -> new CopyOnWriteArrayList<>())
                            .add(new Location(seed.file(), ch, e.offset(), e.size()));
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** No locations yet: they are {@linkplain #note noted} as seeds are chunked. */
    public static SeedChunks empty(DigestAlgorithm digest) throws IOException {
        return new SeedChunks(List.of(), digest);
    }

    /** Notes that chunk {@code id} was found at {@code offset} in {@code file}, after any location already known. Thread-safe. */
    public void note(ChunkId id, Path file, long offset, int size) throws IOException {
        FileChannel ch = channel(file);
        locations.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new Location(file, ch, offset, size));
    }

    private FileChannel channel(Path file) throws IOException {
        FileChannel ch = open.get(file);
        if (ch == null) {
            synchronized (open) {
                ch = open.get(file);
                if (ch == null) {
                    ch = FileChannel.open(file);
                    open.put(file, ch);
                }
            }
        }
        return ch;
    }

    public boolean mayHave(ChunkId id) {
        return locations.containsKey(id);
    }

    /** The chunk's bytes from the first seed location whose content really has this id, or null. */
    public byte[] read(ChunkId id, int size) throws IOException {
        Copy c = find(id, size);
        return c == null ? null : c.data();
    }

    /** Like {@link #read}, also naming the seed. */
    public Copy find(ChunkId id, int size) throws IOException {
        for (Location at : locations.getOrDefault(id, List.of())) {
            if (at.size() != size) {
                continue;
            }
            byte[] data = Ranges.read(at.channel(), at.offset(), size); // null: the seed shrank since it was indexed
            if (data != null && verifier.holds(id, data)) {
                return new Copy(data, at.file());
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
