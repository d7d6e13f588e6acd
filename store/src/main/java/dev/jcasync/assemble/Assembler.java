package dev.jcasync.assemble;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.seed.Seed;
import dev.jcasync.seed.SeedChunks;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.CorruptChunkException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rebuilds a blob from its index. For every distinct chunk it finds the cheapest source: the
 * output itself (in-place mode: the range already holds it), another occurrence already in the
 * output, a seed, then the stores in order (a cache store first). Each chunk is obtained once,
 * verified, and written at every offset where the index places it.
 */
public final class Assembler {
    private final List<ChunkStore> stores;
    private final ExtractOptions options;

    /** {@code stores} in lookup order; {@code options.cache()}, if set, is looked up before them. */
    public Assembler(List<ChunkStore> stores, ExtractOptions options) {
        List<ChunkStore> all = new ArrayList<>();
        if (options.cache() != null) {
            all.add(options.cache());
        }
        all.addAll(stores);
        this.stores = List.copyOf(all);
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
        Map<ChunkId, List<IndexEntry>> placements = new LinkedHashMap<>();
        for (IndexEntry e : index.entries()) {
            placements.computeIfAbsent(e.id(), k -> new ArrayList<>(1)).add(e);
        }
        boolean exists = Files.exists(output);
        // A block device (or anything not a regular file) can only be written in place.
        boolean inPlace = options.inPlace() || (exists && !Files.isRegularFile(output));
        List<Seed> seeds = new ArrayList<>(options.seeds());
        if (!inPlace && exists && options.seedOutput() && Files.size(output) > 0) {
            seeds.add(Seed.scan(output, index.sizes(), index.digest(), options.concurrency()));
        }
        Tallies tallies = new Tallies(stores);
        try (SeedChunks seedChunks = new SeedChunks(seeds, index.digest())) {
            Job job = new Job(index.digest(), new ChunkReader(stores, index.digest()), seedChunks, tallies, dryRun, inPlace);
            if (dryRun) {
                try (FileChannel current = inPlace && exists ? FileChannel.open(output, StandardOpenOption.READ) : null) {
                    job.runAll(placements, current);
                }
            } else if (inPlace) {
                try (FileChannel out = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    job.runAll(placements, out);
                    if (Files.isRegularFile(output, LinkOption.NOFOLLOW_LINKS) && out.size() > index.blobSize()) {
                        out.truncate(index.blobSize());
                    }
                    out.force(false);
                }
            } else {
                writeAtomically(job, placements, index.blobSize(), output);
            }
        }
        return tallies.report(index.blobSize(), index.entries().size(), placements.size(), started, dryRun);
    }

    private void writeAtomically(Job job, Map<ChunkId, List<IndexEntry>> placements, long size, Path output) throws IOException {
        Path temp = AtomicFile.tempBeside(output);
        boolean done = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                job.runAll(placements, out);
                if (out.size() < size) {
                    out.write(ByteBuffer.allocate(1), size - 1); // trailing zero chunks were left as a hole
                }
                out.truncate(size);
            }
            AtomicFile.commit(temp, output);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** One extract's shared state: where chunks come from, and the counters. */
    private final class Job {
        private final DigestAlgorithm digest;
        private final ChunkReader reader;
        private final SeedChunks seeds;
        private final Tallies tallies;
        private final boolean dryRun;
        /** The output channel holds earlier content: keep every range that is already right. */
        private final boolean keepCorrectRanges;

        Job(DigestAlgorithm digest, ChunkReader reader, SeedChunks seeds, Tallies tallies, boolean dryRun, boolean keepCorrectRanges) {
            this.digest = digest;
            this.reader = reader;
            this.seeds = seeds;
            this.tallies = tallies;
            this.dryRun = dryRun;
            this.keepCorrectRanges = keepCorrectRanges;
        }

        void runAll(Map<ChunkId, List<IndexEntry>> placements, FileChannel out) throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(), r -> {
                Thread t = new Thread(r, "jcasync-extract");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> tasks = new ArrayList<>(placements.size());
                for (List<IndexEntry> places : placements.values()) {
                    tasks.add(pool.submit(() -> {
                        assemble(places, out);
                        return null;
                    }));
                }
                for (Future<?> task : tasks) {
                    await(task);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /** Gets one distinct chunk into all its places. {@code out} holds the current output (in place) or is new. */
        private void assemble(List<IndexEntry> places, FileChannel out) throws IOException {
            IndexEntry first = places.get(0);
            List<IndexEntry> toWrite = new ArrayList<>(places.size());
            byte[] data = null;
            if (out != null && keepCorrectRanges) {
                for (IndexEntry place : places) {
                    byte[] current = readRange(out, place.offset(), place.size());
                    if (current != null && digest.digest(current).equals(place.id())) {
                        data = current;
                        tallies.inPlace.add(1, place.size());
                        options.progress().accept(place.size());
                    } else {
                        toWrite.add(place);
                    }
                }
            } else {
                toWrite.addAll(places);
            }
            if (toWrite.isEmpty()) {
                return;
            }
            int copies = toWrite.size();
            if (data == null) {
                data = obtain(first);
                copies--;
            }
            tallies.repeated.add(copies, (long) copies * first.size());
            if (dryRun) {
                return;
            }
            boolean hole = !keepCorrectRanges && first.id().equals(digest.zeroChunkId(first.size()));
            for (IndexEntry place : toWrite) {
                if (hole) {
                    // A new file reads as zeros where nothing was written: leave a hole.
                    options.progress().accept(place.size());
                    continue;
                }
                ByteBuffer buf = ByteBuffer.wrap(data);
                long pos = place.offset();
                while (buf.hasRemaining()) {
                    pos += out.write(buf, pos);
                }
                options.progress().accept(place.size());
            }
        }

        /** The chunk from a seed or a store (counted at its source); in a dry run, only located. */
        private byte[] obtain(IndexEntry chunk) throws IOException {
            if (chunk.id().equals(digest.zeroChunkId(chunk.size()))) {
                tallies.zeros.add(1, chunk.size());
                return new byte[chunk.size()];
            }
            byte[] fromSeed = seeds.mayHave(chunk.id()) ? seeds.read(chunk.id(), chunk.size()) : null;
            if (fromSeed != null) {
                tallies.fromSeeds.add(1, chunk.size());
                return fromSeed;
            }
            try {
                if (dryRun) {
                    locate(chunk);
                    return new byte[0];
                }
                ChunkReader.Fetched fetched = reader.fetch(chunk.id(), chunk.size());
                tallies.fromStore(fetched.store(), chunk.size(), fetched.file().bytes().length);
                if (options.cache() != null && fetched.store() != options.cache()) {
                    options.cache().put(chunk.id(), fetched.file()); // verified above, so safe to keep
                }
                return fetched.data();
            } catch (ChunkNotFoundException e) {
                throw new ChunkNotFoundException(chunk.id(), e.getMessage() + " (needed at offset " + chunk.offset() + ")");
            } catch (CorruptChunkException e) {
                throw new CorruptChunkException(chunk.id(), e.getMessage() + " (needed at offset " + chunk.offset() + ")");
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

    /** The {@code size} bytes at {@code offset}, or null where the file ends before them. */
    private static byte[] readRange(FileChannel in, long offset, int size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(size);
        long pos = offset;
        while (buf.hasRemaining()) {
            int n = in.read(buf, pos);
            if (n < 0) {
                return null;
            }
            pos += n;
        }
        return buf.array();
    }

    private static void await(Future<?> task) throws IOException {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("extract interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }
}
