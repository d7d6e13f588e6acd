package dev.jcasync.seed;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Ranges;
import dev.jcasync.store.ChunkVerifier;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each chunk id can be found in the seeds, and verified reads from there. Reads are
 * positional, so any number of threads can copy from the same seed at once.
 */
public final class SeedChunks implements Closeable {
    private record Location(FileChannel file, long offset, int size) {}

    private final Map<ChunkId, List<Location>> locations = new HashMap<>();
    private final List<FileChannel> open = new ArrayList<>();
    private final ChunkVerifier verifier;

    public SeedChunks(List<Seed> seeds, DigestAlgorithm digest) throws IOException {
        this.verifier = ChunkVerifier.of(digest);
        try {
            for (Seed seed : seeds) {
                if (!seed.isIndexed() || seed.index().digest() != digest) {
                    continue; // ids of another digest can never match
                }
                FileChannel ch = FileChannel.open(seed.file());
                open.add(ch);
                for (IndexEntry e : seed.index().entries()) {
                    locations.computeIfAbsent(e.id(), k -> new ArrayList<>(1))
                            .add(new Location(ch, e.offset(), e.size()));
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    public boolean mayHave(ChunkId id) {
        return locations.containsKey(id);
    }

    /** The chunk's bytes from the first seed location whose content really has this id, or null. */
    public byte[] read(ChunkId id, int size) throws IOException {
        for (Location at : locations.getOrDefault(id, List.of())) {
            if (at.size() != size) {
                continue;
            }
            byte[] data = Ranges.read(at.file(), at.offset(), size); // null: the seed shrank since it was indexed
            if (data != null && verifier.holds(id, data)) {
                return data;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : open) {
            ch.close();
        }
    }
}
