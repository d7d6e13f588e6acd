package dev.jcasync.cli;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.RateLimitedStore;
import dev.jcasync.store.Stores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stores of a casync verb (make, extract, digest), chosen as casync chooses them: one primary
 * store, the LAST {@code --store} given (casync keeps only the last), else $CASYNC_STORE, else
 * default.castr beside the index; then every {@code --extra-store}, read only, in order. Remote
 * stores are paced to {@code --rate-limit-bps}. (jcasync's own commands, info and cache, keep
 * reading every --store given, in order.)
 */
final class CasyncStores {
    private CasyncStores() {}

    /** The primary store's location. */
    static String primary(StoreOptions store, String index) {
        return store.stores.isEmpty() ? Stores.defaultStore(index) : store.stores.get(store.stores.size() - 1);
    }

    /** Every store to read from, in lookup order. */
    static List<String> locations(StoreOptions store, CasyncOptions casync, String index) {
        List<String> locations = new ArrayList<>();
        locations.add(primary(store, index));
        locations.addAll(casync.extraStores);
        return locations;
    }

    /** Opens the stores to read from: the primary one, then the extra ones. */
    static OpenStores open(StoreOptions store, CasyncOptions casync, String index) throws IOException {
        RateLimitedStore.Limit limit = limit(casync);
        List<ChunkStore> opened = new ArrayList<>();
        try {
            for (String location : locations(store, casync, index)) {
                opened.add(RateLimitedStore.of(store.openOne(location), limit));
            }
        } catch (IOException | RuntimeException e) {
            new OpenStores(opened).close();
            throw e;
        }
        return new OpenStores(opened);
    }

    /** Opens the store a make writes to (the primary one). */
    static ChunkStore openWriter(StoreOptions store, CasyncOptions casync, String index) throws IOException {
        return RateLimitedStore.of(store.openOne(primary(store, index)), limit(casync));
    }

    private static RateLimitedStore.Limit limit(CasyncOptions casync) {
        return casync.rateLimitBps == null ? null : new RateLimitedStore.Limit(casync.rateLimitBps);
    }
}
