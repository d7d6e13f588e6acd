package dev.jcasync.maintain;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.io.Parallel;
import dev.jcasync.maintain.VerifyReport.Action;
import dev.jcasync.maintain.VerifyReport.Kind;
import dev.jcasync.maintain.VerifyReport.Problem;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.store.MaintainableStore;
import dev.jcasync.store.ReadStore;
import dev.jcasync.store.StoreFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Re-reads every chunk file of a store: it must decode, and its data must hash to the file's
 * name. A store holds no record of its digest, so by default a chunk is good under either
 * SHA-512/256 or SHA-256, as casync tries both. Optionally repairs what it finds.
 */
public final class Verifier {
    private final MaintainableStore store;
    private final ChunkVerifier verifier;
    private final int threads;

    /** {@code digests}: the algorithms a chunk's name may come from, the first used in messages. */
    public Verifier(MaintainableStore store, List<DigestAlgorithm> digests, int threads) {
        this.store = store;
        this.verifier = ChunkVerifier.anyOf(digests);
        this.threads = Math.max(1, threads);
    }

    /** Checks without changing anything. */
    public VerifyReport verify() throws IOException {
        return run(false, null);
    }

    /**
     * Checks and repairs: misplaced chunks are moved where they belong; corrupt and mismatched
     * files are replaced by a verified copy from {@code source} if it has one (may be null), else
     * deleted, so that readers go on to their next store and writers store the chunk again.
     */
    public VerifyReport repair(ReadStore source) throws IOException {
        return run(true, source);
    }

    private VerifyReport run(boolean repair, ReadStore source) throws IOException {
        LongAdder files = new LongAdder();
        LongAdder bytes = new LongAdder();
        ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
        try (Stream<StoreFile> all = store.files()) {
            Parallel.forEach(all.iterator(), threads, f -> {
                // Looked at before it is read: one that cannot be a chunk file is never read.
                String unreadable = store.problem(f);
                Optional<ChunkFile> content = Optional.empty();
                if (unreadable == null) {
                    try {
                        content = store.read(f);
                        if (content.isEmpty()) {
                            return; // removed meanwhile (a prune)
                        }
                    } catch (CorruptChunkException e) {
                        unreadable = e.detail(); // replaced by a bad entry since it was looked at
                    }
                }
                files.increment();
                Problem p;
                if (unreadable != null) {
                    p = new Problem(f, Kind.CORRUPT, unreadable, Action.NONE);
                } else {
                    bytes.add(content.get().bytes().length);
                    p = check(f, content.get());
                }
                if (p != null) {
                    problems.add(repair ? repair(p, content.orElse(null), source) : p);
                }
            });
        }
        // Directories, FIFOs and links at chunk names: never opened (a FIFO would block), reported.
        try (Stream<StoreFile> stray = store.strayEntries()) {
            for (StoreFile f : (Iterable<StoreFile>) stray::iterator) {
                String what = store.problem(f);
                if (what != null) {
                    files.increment();
                    Problem p = new Problem(f, Kind.CORRUPT, what, Action.NONE);
                    problems.add(repair ? repair(p, null, source) : p);
                }
            }
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(p -> p.file().name()));
        return new VerifyReport(files.sum(), bytes.sum(), sorted);
    }

    /** The problem of a file that could be read, or null if it holds its chunk where readers look for it. */
    private Problem check(StoreFile f, ChunkFile file) {
        try {
            verifier.verify(f.id(), -1, file, store.location() + "/" + f.name());
        } catch (CorruptChunkException e) {
            return switch (e.reason()) {
                case UNDECODABLE -> new Problem(f, Kind.CORRUPT, "cannot be decoded: " + e.detail(), Action.NONE);
                case EMPTY -> new Problem(f, Kind.CORRUPT, "holds no data", Action.NONE);
                case MISMATCH -> new Problem(f, Kind.MISMATCH, "content hashes to " + e.actual(), Action.NONE);
                case NOT_A_CHUNK_FILE -> new Problem(f, Kind.CORRUPT, e.detail(), Action.NONE);
            };
        }
        if (f.misplaced()) {
            return new Problem(f, Kind.MISPLACED, "belongs in " + f.id().prefix() + "/", Action.NONE);
        }
        return null;
    }

    private Problem repair(Problem p, ChunkFile content, ReadStore source) throws IOException {
        StoreFile f = p.file();
        if (p.kind() == Kind.MISPLACED) {
            store.put(f.id(), content); // a no-op if a copy is in place already
            store.remove(f);
            return new Problem(f, p.kind(), p.detail(), Action.MOVED);
        }
        String missing;
        ChunkFile good = null;
        try {
            good = source == null ? null : goodCopy(source, f.id());
            missing = source == null ? "no repair store" : good == null ? "no good copy in " + source.location() : null;
        } catch (IOException e) {
            missing = "repair store " + source.location() + " failed: " + e.getMessage();
        }
        try {
            store.remove(f);
        } catch (IOException e) {
            // a directory that is not empty: left for the user, and the chunk cannot be put there
            return new Problem(f, p.kind(), p.detail() + " (cannot remove it: " + e.getMessage() + ")", Action.NONE);
        }
        if (good != null) {
            store.put(f.id(), good);
            return new Problem(f, p.kind(), p.detail(), Action.REPLACED);
        }
        return new Problem(f, p.kind(), p.detail() + " (" + missing + ")", Action.REMOVED);
    }

    /** The source's file for {@code id} if it holds that chunk, else null. */
    private ChunkFile goodCopy(ReadStore source, ChunkId id) throws IOException {
        Optional<ChunkFile> file = source.get(id);
        if (file.isEmpty()) {
            return null;
        }
        try {
            verifier.verify(id, -1, file.get(), source.location());
            return file.get();
        } catch (CorruptChunkException e) {
            return null;
        }
    }
}
