package dev.jcasync.maintain;

import dev.jcasync.io.Parallel;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.maintain.VerifyReport.Action;
import dev.jcasync.maintain.VerifyReport.Kind;
import dev.jcasync.maintain.VerifyReport.Problem;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.StoreFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Re-reads every chunk file of a local store: it must decode, and its data must hash to the
 * file's name. A store holds no record of its digest, so by default a chunk is good under either
 * SHA-512/256 or SHA-256, as casync tries both. Optionally repairs what it finds.
 */
public final class Verifier {
    private final LocalStore store;
    private final List<DigestAlgorithm> digests;
    private final int threads;

    /** {@code digests}: the algorithms a chunk's name may come from, the first used in messages. */
    public Verifier(LocalStore store, List<DigestAlgorithm> digests, int threads) {
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("no digest algorithm");
        }
        this.store = store;
        this.digests = List.copyOf(digests);
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
    public VerifyReport repair(ChunkStore source) throws IOException {
        return run(true, source);
    }

    private VerifyReport run(boolean repair, ChunkStore source) throws IOException {
        LongAdder files = new LongAdder();
        LongAdder bytes = new LongAdder();
        ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
        try (Stream<StoreFile> all = store.files()) {
            Parallel.forEach(all.iterator(), threads, f -> {
                byte[] content;
                try {
                    content = Files.readAllBytes(f.path());
                } catch (NoSuchFileException e) {
                    return; // removed meanwhile (a prune)
                }
                files.increment();
                bytes.add(content.length);
                ChunkFile file = new ChunkFile(content, f.compressed());
                Problem p = check(f, file);
                if (p != null) {
                    problems.add(repair ? repair(p, file, source) : p);
                }
            });
        }
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(p -> p.file().path()));
        return new VerifyReport(files.sum(), bytes.sum(), sorted);
    }

    /** The file's problem, or null if it holds its chunk where readers look for it. */
    private Problem check(StoreFile f, ChunkFile file) {
        byte[] data;
        try {
            data = ChunkCodec.decode(file, -1);
        } catch (IOException | RuntimeException e) {
            return new Problem(f, Kind.CORRUPT, "cannot be decoded: " + e.getMessage(), Action.NONE);
        }
        if (data.length == 0) {
            return new Problem(f, Kind.CORRUPT, "holds no data", Action.NONE);
        }
        if (!DigestAlgorithm.namedBy(f.id(), data, digests)) {
            return new Problem(f, Kind.MISMATCH, "content hashes to " + digests.get(0).digest(data), Action.NONE);
        }
        if (f.misplaced()) {
            return new Problem(f, Kind.MISPLACED, "belongs in " + f.id().prefix() + "/", Action.NONE);
        }
        return null;
    }

    private Problem repair(Problem p, ChunkFile content, ChunkStore source) throws IOException {
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
        store.remove(f);
        if (good != null) {
            store.put(f.id(), good);
            return new Problem(f, p.kind(), p.detail(), Action.REPLACED);
        }
        return new Problem(f, p.kind(), p.detail() + " (" + missing + ")", Action.REMOVED);
    }

    /** The source's file for {@code id} if it decodes to data with that id, else null. */
    private ChunkFile goodCopy(ChunkStore source, ChunkId id) throws IOException {
        Optional<ChunkFile> file = source.get(id);
        if (file.isEmpty()) {
            return null;
        }
        try {
            byte[] data = ChunkCodec.decode(file.get(), -1);
            return data.length > 0 && DigestAlgorithm.namedBy(id, data, digests) ? file.get() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
