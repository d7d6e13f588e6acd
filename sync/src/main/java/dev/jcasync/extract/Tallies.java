package dev.jcasync.extract;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ReadStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of an extract; each source records the chunks it supplied, and the end result is an {@link ExtractPlan}. */
final class Tallies {
    /** A chunk count and a byte count, added to from many threads. */
    static final class Counter {
        final LongAdder chunks = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder fileBytes = new LongAdder();

        void add(long chunkCount, long byteCount) {
            chunks.add(chunkCount);
            bytes.add(byteCount);
        }

        ExtractReport.Tally tally() {
            return new ExtractReport.Tally(chunks.sum(), bytes.sum());
        }
    }

    private final Counter inPlace = new Counter();
    private final Counter fromSeeds = new Counter();
    private final Counter repeated = new Counter();
    private final Counter zeros = new Counter();
    private final List<ChunkStore> stores;
    private final List<Counter> perStore = new ArrayList<>();

    Tallies(List<ChunkStore> stores) {
        this.stores = stores;
        for (int i = 0; i < stores.size(); i++) {
            perStore.add(new Counter());
        }
    }

    /** One place of {@code need} already held it. */
    void keptInPlace(Need need) {
        inPlace.add(1, need.size);
        need.from = ExtractPlan.From.IN_PLACE;
    }

    /** {@code need} comes from a place of the output that already held it. */
    void copiedInPlace(Need need) {
        need.from = ExtractPlan.From.IN_PLACE;
    }

    /** {@code need} was found in a seed (or, moved, in the output's old content: {@code seed == null}). */
    void fromSeed(Need need, String seed) {
        fromSeeds.add(1, need.size);
        need.from = seed == null
                ? new ExtractPlan.From(ExtractPlan.Kind.OUTPUT, null, 0)
                : new ExtractPlan.From(ExtractPlan.Kind.SEED, seed, 0);
    }

    void zero(Need need) {
        zeros.add(1, need.size);
        need.from = ExtractPlan.From.ZERO;
    }

    /** {@code need} came (or, planning, would come) from {@code store}, whose file for it is {@code fileBytes} long. */
    void fromStore(Need need, ReadStore store, long fileBytes) {
        Counter c = perStore.get(stores.indexOf(store));
        c.add(1, need.size);
        c.fileBytes.add(fileBytes);
        need.from = new ExtractPlan.From(ExtractPlan.Kind.STORE, store.location(), fileBytes);
    }

    /** {@code copies} more places of {@code need} were filled from a copy the extract already had. */
    void repeated(Need need, int copies) {
        repeated.add(copies, (long) copies * need.size);
    }

    ExtractPlan plan(long blobSize, int chunks, Collection<Need> needs) {
        List<ExtractReport.StoreTally> st = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            Counter c = perStore.get(i);
            st.add(new ExtractReport.StoreTally(
                    stores.get(i).location(),
                    stores.get(i).isRemote(),
                    c.chunks.sum(),
                    c.bytes.sum(),
                    c.fileBytes.sum()));
        }
        List<ExtractPlan.Chunk> sources = new ArrayList<>(needs.size());
        for (Need n : needs) {
            sources.add(new ExtractPlan.Chunk(n.id, n.size, n.from));
        }
        return new ExtractPlan(
                blobSize, chunks, sources, inPlace.tally(), fromSeeds.tally(), repeated.tally(), zeros.tally(), st);
    }
}
