package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/**
 * Reads chunks from an ordered list of stores and returns only verified data: the decompressed
 * bytes must have the size the index gives and hash to the chunk's id. A store whose copy is
 * corrupt is passed over for the next one; if none has a good copy the error names them all.
 * A store that fails outright (unreachable after its retries) is skipped for the rest of the run,
 * so one store down costs its retries once, not for every chunk.
 */
public final class ChunkReader {
    private final List<ChunkStore> stores;
    private final DigestAlgorithm digest;
    /** Stores that failed, with their first error: skipped from then on. */
    private final Map<ChunkStore, IOException> down = new ConcurrentHashMap<>();

    public ChunkReader(List<ChunkStore> stores, DigestAlgorithm digest) {
        this.stores = List.copyOf(stores);
        this.digest = digest;
    }

    public List<ChunkStore> stores() {
        return stores;
    }

    /** A verified chunk, the file it was decoded from, and the store that had it. */
    public record Fetched(byte[] data, ChunkFile file, ChunkStore store) {}

    /** The verified bytes of chunk {@code id}, which the index says is {@code size} bytes long. */
    public byte[] read(ChunkId id, int size) throws IOException {
        return fetch(id, size).data();
    }

    /** Like {@link #read}, also telling which store served the chunk and in what form. */
    public Fetched fetch(ChunkId id, int size) throws IOException {
        CorruptChunkException corrupt = null;
        for (ChunkStore store : stores) {
            for (int attempt = 0; attempt <= store.refetchesOnCorruption() && !down.containsKey(store); attempt++) {
                Optional<ChunkFile> file;
                try {
                    file = store.get(id);
                } catch (CorruptChunkException | java.io.InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    down.putIfAbsent(store, e);
                    break;
                }
                if (file.isEmpty()) {
                    break;
                }
                try {
                    return new Fetched(verify(id, size, file.get(), store), file.get(), store);
                } catch (CorruptChunkException e) {
                    corrupt = e;
                }
            }
        }
        if (corrupt != null) {
            throw corrupt;
        }
        if (!down.isEmpty()) {
            Map.Entry<ChunkStore, IOException> failed = down.entrySet().iterator().next();
            throw new StoreUnavailableException("chunk " + id + " not available: store " + failed.getKey().location() + " failed ("
                    + failed.getValue().getMessage() + ")" + (stores.size() > 1 ? "; no other store has it" : ""), failed.getValue());
        }
        throw new ChunkNotFoundException(id, "chunk " + id + " not found in " + describeStores());
    }

    /** Decodes and checks one chunk file; throws {@link CorruptChunkException} naming the store. */
    public byte[] verify(ChunkId id, int size, ChunkFile file, ChunkStore from) throws CorruptChunkException {
        byte[] data;
        try {
            data = ChunkCodec.decode(file, size);
        } catch (IOException | RuntimeException e) {
            throw new CorruptChunkException(id, "chunk " + id + " in " + from.location() + " is corrupt: " + e.getMessage());
        }
        ChunkId actual = digest.digest(data);
        if (!actual.equals(id)) {
            throw new CorruptChunkException(id, "chunk " + id + " in " + from.location()
                    + " is corrupt: its content hashes to " + actual);
        }
        return data;
    }

    private String describeStores() {
        if (stores.isEmpty()) {
            return "any store (none given)";
        }
        StringBuilder sb = new StringBuilder(stores.size() == 1 ? "store " : "stores ");
        for (int i = 0; i < stores.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(stores.get(i).location());
        }
        return sb.toString();
    }
}
