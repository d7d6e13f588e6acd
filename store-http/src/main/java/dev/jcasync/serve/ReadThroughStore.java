package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.Compression;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.store.LocalStore;
import dev.jcasync.store.ReadStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Fills a cache directory from a backing store (an S3 bucket, another web server, a directory),
 * chunk by chunk as they are asked for: {@code jcasync serve --store=s3+https://... --cache=DIR}.
 * A chunk is fetched from the backing store once however many ask for it at the same time, checked
 * by {@link ChunkVerifier} (a corrupt copy is fetched again as often as the store allows, then
 * refused), and written atomically into the cache in the form that was asked for. Thread-safe.
 */
public final class ReadThroughStore implements MissingChunks {
    private final LocalStore cache;
    private final ReadStore origin;
    private final ChunkVerifier verifier;
    /** Fetches under way, by the file they make: later askers wait for the first one. */
    private final Map<Wanted, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    private record Wanted(ChunkId id, boolean compressed) {}

    /** Chunks of {@code origin} into {@code cache}, accepted if {@code verifier} accepts them. */
    public ReadThroughStore(LocalStore cache, ReadStore origin, ChunkVerifier verifier) {
        this.cache = cache;
        this.origin = origin;
        this.verifier = verifier;
    }

    public ReadStore origin() {
        return origin;
    }

    @Override
    public boolean fetch(ChunkId id, boolean compressed) throws IOException {
        Wanted wanted = new Wanted(id, compressed);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(wanted, mine);
        if (running != null) {
            return await(running, id);
        }
        try {
            // A fetch that ended between the caller's look and now has stored it already.
            boolean got =
                    Files.isRegularFile(cache.file(id, compressed), LinkOption.NOFOLLOW_LINKS) || load(id, compressed);
            mine.complete(got);
            return got;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(wanted, mine);
        }
    }

    private boolean load(ChunkId id, boolean compressed) throws IOException {
        CorruptChunkException corrupt = null;
        for (int attempt = 0; attempt <= origin.refetchesOnCorruption(); attempt++) {
            Optional<ChunkFile> got = origin.get(id);
            if (got.isEmpty()) {
                if (corrupt != null) {
                    throw corrupt;
                }
                return false;
            }
            byte[] data;
            try {
                data = verifier.verify(id, -1, got.get(), origin.location());
            } catch (CorruptChunkException e) {
                corrupt = e;
                continue;
            }
            ChunkFile file = got.get();
            if (!compressed) {
                file = new ChunkFile(data, false);
            } else if (!file.compressed()) {
                file = ChunkCodec.encode(data, 0, data.length, Compression.ZSTD);
            }
            cache.write(id, file); // a temporary file renamed into place: never seen half written
            return true;
        }
        throw corrupt;
    }

    private static boolean await(CompletableFuture<Boolean> running, ChunkId id) throws IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for chunk " + id);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                // The same failure as the fetch this one waited for.
                throw new IOException(io.getMessage(), io);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    @Override
    public String toString() {
        return "cache " + cache.location() + " in front of " + origin.location();
    }
}
