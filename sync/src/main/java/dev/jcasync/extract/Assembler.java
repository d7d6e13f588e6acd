package dev.jcasync.extract;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.io.EarlyWriteback;
import dev.jcasync.io.FirstBytes;
import dev.jcasync.io.Leftovers;
import dev.jcasync.io.Parallel;
import dev.jcasync.io.Ranges;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.ChunkSink;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.seed.Seed;
import dev.jcasync.seed.SeedChunks;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.store.Fetched;
import dev.jcasync.store.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rebuilds a blob from its index. Each distinct chunk is obtained once, from the cheapest source,
 * verified, and written at every offset where the index places it. In order:
 * <ol>
 * <li>in place (and when resuming an interrupted run's temporary file): ranges of the output that
 *     already hold their chunk are kept; in place, chunks that moved within it are copied, each
 *     read before anything is written over it;
 * <li>seeds without an index are chunked, and the chunks the target needs are written from
 *     memory in that same pass (no second read or hash);
 * <li>the rest, in parallel: another correct range of the output, all-zero chunks (made
 *     locally), an indexed seed (verified on read), then the stores in order, a cache store first.
 * </ol>
 */
public final class Assembler {
    /** In place, how much of the output's old content may be held in memory to break a cycle of moves. */
    private static final long READ_AHEAD_BYTES = 32L << 20;
    private final List<ChunkStore> stores;
    /** The stores given, without the cache. */
    private final List<ChunkStore> behindCache;
    private final ExtractOptions options;

    /** {@code stores} in lookup order; {@code options.cache()}, if set, is looked up before them. */
    public Assembler(List<ChunkStore> stores, ExtractOptions options) {
        List<ChunkStore> all = new ArrayList<>();
        if (options.cache() != null) {
            all.add(options.cache());
        }
        all.addAll(stores);
        this.stores = List.copyOf(all);
        this.behindCache = List.copyOf(stores);
        this.options = options;
    }

    /** Extracts {@code index} to {@code output}. */
    public ExtractReport extract(BlobIndex index, Path output) throws IOException {
        return run(index, output, false);
    }

    /** Works out where every chunk would come from and what would be transferred, writing nothing. */
    public ExtractReport plan(BlobIndex index, Path output) throws IOException {
        return run(index, output, true);
    }

    private ExtractReport run(BlobIndex index, Path output, boolean dryRun) throws IOException {
        long started = System.nanoTime();
        Map<ChunkId, Need> needs = new LinkedHashMap<>();
        index.entriesById().forEach((id, places) -> needs.computeIfAbsent(id, k -> new Need()).places.addAll(places));
        boolean exists = Files.exists(output);
        // A block device (or anything not a regular file) can only be written in place.
        boolean inPlace = options.inPlace() || (exists && !Files.isRegularFile(output));
        List<Seed> seeds = new ArrayList<>(options.seeds());
        // In place, the output's old content is a seed too, but one that is being written over:
        // its chunks are found first and copied in an order that reads each before overwriting it.
        boolean outputMoves = inPlace && exists && options.seedOutput();
        if (!inPlace && exists && options.seedOutput() && Files.size(output) > 0) {
            seeds.add(Seed.unindexed(output));
        }
        Tallies tallies = new Tallies(stores);
        try (SeedChunks indexedSeeds = new SeedChunks(seeds, index.digest())) {
            List<Seed> toScan = seeds.stream().filter(s -> !s.isIndexed()).toList();
            if (dryRun) {
                Job job = new Job(index, needs, indexedSeeds, tallies, true, inPlace, outputMoves ? output : null);
                try (FileChannel current = inPlace && exists ? FileChannel.open(output, StandardOpenOption.READ) : null) {
                    job.run(current, toScan);
                }
            } else if (inPlace) {
                Job job = new Job(index, needs, indexedSeeds, tallies, false, true, outputMoves ? output : null);
                try (FileChannel out = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    job.run(out, toScan);
                    if (Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS) && out.size() > index.blobSize()) {
                        out.truncate(index.blobSize());
                    }
                    if (options.sync()) {
                        out.force(false);
                    }
                }
            } else {
                writeAtomically(index, needs, indexedSeeds, tallies, toScan, output);
            }
        }
        return tallies.report(index.blobSize(), index.entries().size(), needs.size(), started, dryRun);
    }

    /**
     * Writes a temporary file beside the output and renames it into place when complete. If an
     * earlier run was killed, its temporary file is taken over and only what it lacks is written.
     */
    private void writeAtomically(BlobIndex index, Map<ChunkId, Need> needs, SeedChunks indexedSeeds, Tallies tallies,
                                 List<Seed> toScan, Path output) throws IOException {
        Path temp = AtomicFile.tempBeside(output);
        FileChannel resumed = Leftovers.claim(output, temp);
        boolean keep = false;
        try (FileChannel out = resumed != null ? resumed
                : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (resumed == null) {
                Leftovers.lock(out);
            }
            new Job(index, needs, indexedSeeds, tallies, false, resumed != null, null).run(out, toScan);
            long size = index.blobSize();
            if (out.size() < size) {
                out.write(ByteBuffer.allocate(1), size - 1); // trailing zero chunks were left as a hole
            }
            out.truncate(size);
            AtomicFile.commit(temp, output, options.sync());
            keep = true;
        } catch (StoreUnavailableException e) {
            // The network may come back: keep what was written for the next run to continue from.
            keep = true;
            throw new StoreUnavailableException(e.getMessage() + "; the partial output " + temp.getFileName()
                    + " is kept and a rerun continues from it", e);
        } finally {
            if (!keep) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** One distinct chunk of the target: where it goes, and which of those places still need writing. */
    private static final class Need {
        final List<IndexEntry> places = new ArrayList<>(1);
        List<IndexEntry> toWrite;
        /** A place in the output that already holds the chunk (in-place mode), or null. */
        IndexEntry correct;
        /** Set once a source has claimed this chunk, so it is written exactly once. */
        private boolean claimed;

        synchronized boolean claim() {
            if (claimed || toWrite.isEmpty()) {
                return false;
            }
            claimed = true;
            return true;
        }
    }

    /** One extract: the target, the sources, the counters. */
    private final class Job {
        private final BlobIndex index;
        private final DigestAlgorithm digest;
        private final Map<ChunkId, Need> needs;
        private final ChunkReader reader;
        private final ChunkVerifier verifier;
        private final SeedChunks indexedSeeds;
        private final Tallies tallies;
        private final boolean dryRun;
        /** The output channel holds earlier content: keep every range that is already right. */
        private final boolean keepCorrectRanges;
        /** The sizes of the chunks a scan may find (fixed once the correct ranges are known). */
        private BitSet neededSizes;
        /** Told of every write when the output is to be synced at the end (else null). */
        private EarlyWriteback writeback;
        /** In place: the output, whose old content is searched for chunks that moved (else null). */
        private final Path movesIn;

        Job(BlobIndex index, Map<ChunkId, Need> needs, SeedChunks indexedSeeds, Tallies tallies, boolean dryRun,
            boolean keepCorrectRanges, Path movesIn) {
            this.movesIn = movesIn;
            this.index = index;
            this.digest = index.digest();
            this.needs = needs;
            this.reader = ChunkReader.withCache(options.cache(), behindCache, digest);
            this.verifier = ChunkVerifier.of(digest);
            this.indexedSeeds = indexedSeeds;
            this.tallies = tallies;
            this.dryRun = dryRun;
            this.keepCorrectRanges = keepCorrectRanges;
        }

        /** {@code out} is the output being written (null in a dry run of a new output). */
        void run(FileChannel out, List<Seed> toScan) throws IOException {
            try (EarlyWriteback started = !dryRun && options.sync() && out != null ? EarlyWriteback.start(out) : null) {
                writeback = started;
                Parallel.forEach(needs.values().iterator(), options.concurrency(), need -> findCorrectRanges(need, out));
                neededSizes = neededSizes();
                if (movesIn != null && out != null) {
                    copyMovedData(out); // before anything else writes over the old content
                }
                for (Seed seed : toScan) {
                    copyFromScannedSeed(seed, out);
                }
                Parallel.forEach(needs.values().iterator(), options.concurrency(), need -> {
                    if (need.claim()) {
                        obtainAndWrite(need, out);
                    }
                });
            }
        }

        private void findCorrectRanges(Need need, FileChannel out) throws IOException {
            if (out == null || !keepCorrectRanges) {
                need.toWrite = need.places;
                return;
            }
            need.toWrite = new ArrayList<>(need.places.size());
            for (IndexEntry place : need.places) {
                byte[] current = Ranges.read(out, place.offset(), place.size());
                if (current != null && verifier.holds(place.id(), current)) {
                    need.correct = place;
                    tallies.inPlace.add(1, place.size());
                    options.progress().accept(place.size());
                } else {
                    need.toWrite.add(place);
                }
            }
        }

        /** Chunks the seed with the target's parameters; every needed chunk is written while in memory. */
        private void copyFromScannedSeed(Seed seed, FileChannel out) throws IOException {
            scan(seed.file(), "seed", (id, data, offset, length, position) -> {
                Need need = needs.get(id);
                if (wantedCopy(id, need) && need.claim()) { // else copied from elsewhere, made locally, or done
                    tallies.fromSeeds.add(1, length);
                    write(need, out, ByteBuffer.wrap(data, offset, length), false);
                }
            });
        }

        /**
         * Chunks {@code file} with the target's parameters, handing {@code sink} the chunks of a size
         * still needed. A device is read as far as the target reaches (plus a chunk), not to its end:
         * a partition is often far larger than the image it holds.
         */
        private void scan(Path file, String what, ChunkSink sink) throws IOException {
            MakeOptions scan = MakeOptions.defaults().withSizes(index.sizes()).withDigest(digest)
                    .withConcurrency(options.concurrency());
            try (FileChannel channel = FileChannel.open(file)) {
                ReadableByteChannel in = Files.isRegularFile(file) ? channel
                        : new FirstBytes(channel, index.blobSize() + index.sizes().max());
                new BlobMaker(scan).scan(in, neededSizes::get, sink);
            } catch (IOException e) {
                throw new IOException(what + " " + file + ": " + e.getMessage(), e);
            }
        }

        /** A chunk to copy if found: still to be written, not right elsewhere in the output, not all zeros. */
        private boolean wantedCopy(ChunkId id, Need need) {
            return need != null && need.correct == null && !need.toWrite.isEmpty()
                    && !id.equals(digest.zeroChunkId(need.places.get(0).size()));
        }

        /**
         * In place: finds the needed chunks in the output's old content (reading only), then copies
         * them in an order that reads every source before anything is written over it (see
         * {@link InPlaceMoves}). Each copy is hashed again when read, so even a plan gone wrong
         * could only cost a fetch, never a wrong byte.
         */
        private void copyMovedData(FileChannel out) throws IOException {
            Map<ChunkId, Long> found = new ConcurrentHashMap<>();
            scan(movesIn, "output", (id, data, offset, length, position) -> {
                if (wantedCopy(id, needs.get(id))) {
                    found.merge(id, position, Math::min); // the first copy, whatever the thread order
                }
            });
            // By source offset: a plan that does not depend on hash-map order (a dry run predicts the real run).
            List<Map.Entry<ChunkId, Long>> bySource = new ArrayList<>(found.entrySet());
            bySource.sort(Map.Entry.comparingByValue());
            List<Need> sortedNeeds = new ArrayList<>();
            List<InPlaceMoves.Move> sortedMoves = new ArrayList<>();
            for (Map.Entry<ChunkId, Long> e : bySource) {
                Need need = needs.get(e.getKey());
                sortedNeeds.add(need);
                sortedMoves.add(new InPlaceMoves.Move(e.getValue(), need.places.get(0).size(),
                        need.toWrite.stream().mapToLong(IndexEntry::offset).toArray()));
            }
            Map<Integer, byte[]> readAhead = new HashMap<>();
            for (InPlaceMoves.Step step : InPlaceMoves.plan(sortedMoves, READ_AHEAD_BYTES)) {
                InPlaceMoves.Move m = sortedMoves.get(step.move());
                Need need = sortedNeeds.get(step.move());
                switch (step.kind()) {
                    case READ -> readAhead.put(step.move(), dryRun ? new byte[0] : readVerified(out, m, need));
                    case WRITE -> {
                        byte[] data = readAhead.containsKey(step.move()) ? readAhead.remove(step.move())
                                : dryRun ? new byte[0] : readVerified(out, m, need);
                        if (data != null && need.claim()) {
                            tallies.fromSeeds.add(1, m.size());
                            write(need, out, ByteBuffer.wrap(data), false);
                        }
                    }
                    case DROP -> { } // written over before it could be read: obtained from elsewhere
                }
            }
        }

        /** The chunk at the move's source if it still hashes to the need's id, else null. */
        private byte[] readVerified(FileChannel out, InPlaceMoves.Move m, Need need) throws IOException {
            byte[] data = Ranges.read(out, m.source(), m.size());
            return data != null && verifier.holds(need.places.get(0).id(), data) ? data : null;
        }

        /** The sizes of the chunks still to be written (zero chunks are made, not copied). */
        private BitSet neededSizes() {
            BitSet sizes = new BitSet();
            needs.forEach((id, need) -> {
                if (wantedCopy(id, need)) {
                    sizes.set(need.places.get(0).size());
                }
            });
            return sizes;
        }

        private void obtainAndWrite(Need need, FileChannel out) throws IOException {
            IndexEntry first = need.toWrite.get(0);
            if (!keepCorrectRanges && first.id().equals(digest.zeroChunkId(first.size()))) {
                // A new file reads as zeros where nothing was written: leave holes.
                tallies.zeros.add(1, first.size());
                tallies.repeated.add(need.toWrite.size() - 1, (long) (need.toWrite.size() - 1) * first.size());
                need.toWrite.forEach(p -> options.progress().accept(p.size()));
                return;
            }
            byte[] data;
            if (need.correct != null) {
                data = dryRun ? null : Ranges.read(out, need.correct.offset(), need.correct.size());
            } else {
                data = obtain(first);
            }
            write(need, out, data == null ? null : ByteBuffer.wrap(data), need.correct != null);
        }

        /** Writes the chunk at every place that needs it; all but the source's first count as repeated. */
        private void write(Need need, FileChannel out, ByteBuffer data, boolean sourceWasOutput) throws IOException {
            int copies = sourceWasOutput ? need.toWrite.size() : need.toWrite.size() - 1;
            long size = need.toWrite.get(0).size();
            tallies.repeated.add(copies, copies * size);
            if (dryRun) {
                return;
            }
            for (IndexEntry place : need.toWrite) {
                ByteBuffer buf = data.duplicate();
                long pos = place.offset();
                while (buf.hasRemaining()) {
                    pos += out.write(buf, pos);
                }
                if (writeback != null) {
                    writeback.wrote(place.size());
                }
                options.progress().accept(place.size());
            }
        }

        /** The chunk from an indexed seed, as zeros, or from a store (counted at its source); a dry run only locates it. */
        private byte[] obtain(IndexEntry chunk) throws IOException {
            if (chunk.id().equals(digest.zeroChunkId(chunk.size()))) {
                tallies.zeros.add(1, chunk.size());
                return new byte[chunk.size()];
            }
            byte[] fromSeed = indexedSeeds.mayHave(chunk.id()) ? indexedSeeds.read(chunk.id(), chunk.size()) : null;
            if (fromSeed != null) {
                tallies.fromSeeds.add(1, chunk.size());
                return fromSeed;
            }
            try {
                if (dryRun) {
                    locate(chunk);
                    return null;
                }
                Fetched fetched = reader.fetch(chunk.id(), chunk.size()); // a chunk from a store behind the cache is kept in it
                tallies.fromStore(fetched.store(), chunk.size(), fetched.file().bytes().length);
                return fetched.data();
            } catch (ChunkNotFoundException e) {
                throw new ChunkNotFoundException(e.getMessage() + " (needed at offset " + chunk.offset() + ")", e);
            } catch (CorruptChunkException e) {
                throw new CorruptChunkException(e.getMessage() + " (needed at offset " + chunk.offset() + ")", e);
            }
        }

        /** Dry run: the first store holding the chunk, and its file size (the exact transfer). */
        private void locate(IndexEntry chunk) throws IOException {
            for (ChunkStore store : stores) {
                long size = store.sizeOf(chunk.id());
                if (size >= 0) {
                    tallies.fromStore(store, chunk.size(), size);
                    return;
                }
            }
            throw new ChunkNotFoundException(chunk.id(), "chunk " + chunk.id() + " not found in any store");
        }
    }
}
