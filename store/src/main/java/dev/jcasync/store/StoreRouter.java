package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads chunks from an ordered list of stores and returns only verified data (desync's
 * {@code StoreRouter}, with jcasync's rules):
 * <ul>
 * <li>a chunk missing from one store is looked up in the next;
 * <li>a copy that fails verification is fetched again as often as its store allows
 *     ({@link ReadStore#refetchesOnCorruption}), then passed over for the next store; if no
 *     store has a good copy, the error names the last corrupt one;
 * <li>a store that fails outright (unreachable after its retries) is skipped for the rest of
 *     this router's life, so one store down costs its retries once, not for every chunk.
 * </ul>
 * Routers given to a router are flattened into it. Safe for concurrent use.
 */
public final class StoreRouter implements ChunkSource {
    private final List<ReadStore> stores;
    private final ChunkVerifier verifier;
    /** Stores that failed, with their first error: skipped from then on. */
    private final Map<ReadStore, IOException> down = new ConcurrentHashMap<>();

    /** Routes to {@code stores} in order, accepting chunks that {@code verifier} accepts. */
    public StoreRouter(List<? extends ReadStore> stores, ChunkVerifier verifier) {
        List<ReadStore> flat = new ArrayList<>();
        for (ReadStore s : stores) {
            if (s instanceof StoreRouter r && r.verifier.digests().equals(verifier.digests())) {
                flat.addAll(r.stores);
            } else {
                flat.add(s);
            }
        }
        this.stores = List.copyOf(flat);
        this.verifier = verifier;
    }

    @Override
    public List<ReadStore> stores() {
        return stores;
    }

    @Override
    public Fetched fetch(ChunkId id, int size) throws IOException {
        CorruptChunkException corrupt = null;
        StoreUnavailableException unavailable = null;
        for (ReadStore store : stores) {
            if (down.containsKey(store)) {
                continue;
            }
            if (store instanceof ChunkSource source) {
                // It verifies what it returns, and keeps track of its own stores.
                try {
                    return source.fetch(id, size);
                } catch (ChunkNotFoundException e) {
                    continue;
                } catch (CorruptChunkException e) {
                    corrupt = e;
                    continue;
                } catch (StoreUnavailableException e) {
                    unavailable = unavailable == null ? e : unavailable;
                    continue;
                } catch (InterruptedIOException e) {
                    throw e;
                } catch (IOException e) {
                    down.putIfAbsent(store, e);
                    continue;
                }
            }
            for (int attempt = 0; attempt <= store.refetchesOnCorruption() && !down.containsKey(store); attempt++) {
                Optional<ChunkFile> file;
                try {
                    file = store.get(id, size);
                } catch (InterruptedIOException e) {
                    throw e;
                } catch (CorruptChunkException e) {
                    corrupt = e;
                    break;
                } catch (IOException e) {
                    down.putIfAbsent(store, e);
                    break;
                }
                if (file.isEmpty()) {
                    break;
                }
                try {
                    return new Fetched(verifier.verify(id, size, file.get(), store.location()), file.get(), store);
                } catch (CorruptChunkException e) {
                    corrupt = e;
                }
            }
        }
        if (corrupt != null) {
            throw corrupt;
        }
        throwIfAnyDown(id, unavailable);
        throw new ChunkNotFoundException(id, "chunk " + id + " not found in " + describeStores());
    }

    /** The verified chunk file (of any size), or empty if no store has it. */
    @Override
    public Optional<ChunkFile> get(ChunkId id) throws IOException {
        try {
            return Optional.of(fetch(id, -1).file());
        } catch (ChunkNotFoundException e) {
            return Optional.empty();
        }
    }

    /** True if some store says it holds the chunk (not verified). */
    @Override
    public boolean has(ChunkId id) throws IOException {
        for (ReadStore store : stores) {
            if (down.containsKey(store)) {
                continue;
            }
            try {
                if (store.has(id)) {
                    return true;
                }
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                down.putIfAbsent(store, e);
            }
        }
        throwIfAnyDown(id, null);
        return false;
    }

    /** The size of the file the first store holding the chunk has, or -1 if none has it. */
    @Override
    public long sizeOf(ChunkId id) throws IOException {
        for (ReadStore store : stores) {
            if (down.containsKey(store)) {
                continue;
            }
            try {
                long size = store.sizeOf(id);
                if (size >= 0) {
                    return size;
                }
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                down.putIfAbsent(store, e);
            }
        }
        throwIfAnyDown(id, null);
        return -1;
    }

    /** With no good copy found: if a store failed, the chunk may be there, so say that rather than "not found". */
    private void throwIfAnyDown(ChunkId id, StoreUnavailableException unavailable) throws StoreUnavailableException {
        for (ReadStore store : stores) {
            IOException failure = down.get(store);
            if (failure != null) {
                throw new StoreUnavailableException(
                        "chunk " + id + " not available: store " + store.location() + " failed (" + failure.getMessage()
                                + ")" + (stores.size() > 1 ? "; no other store has it" : ""),
                        failure);
            }
        }
        if (unavailable != null) {
            throw unavailable;
        }
    }

    /** True if any of the stores is remote. */
    @Override
    public boolean isRemote() {
        return stores.stream().anyMatch(ReadStore::isRemote);
    }

    /** The stores' locations, in order. */
    @Override
    public String location() {
        StringBuilder sb = new StringBuilder();
        for (ReadStore s : stores) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.location());
        }
        return sb.toString();
    }

    private String describeStores() {
        if (stores.isEmpty()) {
            return "any store (none given)";
        }
        return (stores.size() == 1 ? "store " : "stores ") + location();
    }

    /** Closes every store routed to. */
    @Override
    public void close() throws IOException {
        Stores.closeAll(stores);
    }

    @Override
    public String toString() {
        return "router over " + location();
    }
}
