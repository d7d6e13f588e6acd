package dev.jcasync.extract;

import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ReadStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters behind an {@link ExtractReport}. */
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

    final Counter inPlace = new Counter();
    final Counter fromSeeds = new Counter();
    final Counter repeated = new Counter();
    final Counter zeros = new Counter();
    private final List<ChunkStore> stores;
    private final List<Counter> perStore = new ArrayList<>();

    Tallies(List<ChunkStore> stores) {
        this.stores = stores;
        for (int i = 0; i < stores.size(); i++) {
            perStore.add(new Counter());
        }
    }

    void fromStore(ReadStore store, long bytes, long fileBytes) {
        Counter c = perStore.get(stores.indexOf(store));
        c.add(1, bytes);
        c.fileBytes.add(fileBytes);
    }

    ExtractReport report(long blobSize, int chunks, int distinct, long startedNanos, boolean dryRun) {
        List<ExtractReport.StoreTally> st = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            Counter c = perStore.get(i);
            st.add(new ExtractReport.StoreTally(stores.get(i).location(), stores.get(i).isRemote(),
                    c.chunks.sum(), c.bytes.sum(), c.fileBytes.sum()));
        }
        return new ExtractReport(blobSize, chunks, distinct, inPlace.tally(), fromSeeds.tally(), repeated.tally(), zeros.tally(), st,
                Duration.ofNanos(System.nanoTime() - startedNanos), dryRun);
    }
}
