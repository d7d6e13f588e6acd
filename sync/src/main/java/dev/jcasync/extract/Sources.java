package dev.jcasync.extract;

import dev.jcasync.seed.SeedChunks;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.store.Fetched;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** The {@link ChunkSupplier}s, in the order an extract asks them. */
final class Sources {
    /** Shared by every zero chunk (read only): chunks are at most {@code ChunkSizes.LIMIT} bytes, zero runs are common. */
    private static volatile byte[] zeros = new byte[0];

    private Sources() {}

    /** Another place of the output that already holds the chunk (in place, or a resumed temporary file). */
    static ChunkSupplier outputCopy(Extraction job, FileOutput out) {
        return need -> {
            if (need.correct == null) {
                return null;
            }
            byte[] data = out.read(need.correct.offset(), need.correct.size());
            if (data == null) {
                throw new IOException(
                        "the output shrank while being written: offset " + need.correct.offset() + " is gone");
            }
            job.tallies.copiedInPlace(need);
            return ByteBuffer.wrap(data);
        };
    }

    /** All-zero chunks, recognised by their id and made here. */
    static ChunkSupplier zeros(Extraction job) {
        return need -> {
            if (!need.zero) {
                return null;
            }
            job.tallies.zero(need);
            return zeroBytes(need.size);
        };
    }

    static ByteBuffer zeroBytes(int size) {
        byte[] z = zeros;
        if (z.length < size) {
            z = new byte[Math.max(size, 2 * z.length)];
            zeros = z;
        }
        return ByteBuffer.wrap(z, 0, size).asReadOnlyBuffer();
    }

    /** Seeds whose chunks are known by position (an index, or a scan), every copy verified when read. */
    static ChunkSupplier seeds(Extraction job, SeedChunks seeds) {
        return need -> {
            if (!seeds.mayHave(need.id)) {
                return null;
            }
            SeedChunks.Copy copy = seeds.find(need.id, need.size);
            if (copy == null) {
                return null;
            }
            job.tallies.fromSeed(need, copy.file().toString());
            return ByteBuffer.wrap(copy.data());
        };
    }

    /** The stores in order (a cache store first): each chunk fetched, verified, and kept in the cache. */
    static ChunkSupplier fetch(Extraction job, List<ChunkStore> stores, ChunkStore cache) {
        List<ChunkStore> behindCache = cache == null ? stores : stores.subList(1, stores.size());
        ChunkReader reader = ChunkReader.withCache(cache, behindCache, job.digest);
        return need -> {
            try {
                Fetched fetched = reader.fetch(need.id, need.size);
                job.tallies.fromStore(need, fetched.store(), fetched.file().bytes().length);
                return ByteBuffer.wrap(fetched.data());
            } catch (ChunkNotFoundException e) {
                throw new ChunkNotFoundException(
                        e.getMessage() + " (needed at offset " + need.first().offset() + ")", e);
            } catch (CorruptChunkException e) {
                throw new CorruptChunkException(
                        e.getMessage() + " (needed at offset " + need.first().offset() + ")", e);
            }
        };
    }

    /** A plan's stores: the first store holding the chunk, and its file size (the exact transfer); nothing is read. */
    static ChunkSupplier locate(Extraction job, List<ChunkStore> stores) {
        return need -> {
            for (ChunkStore store : stores) {
                long size = store.sizeOf(need.id);
                if (size >= 0) {
                    job.tallies.fromStore(need, store, size);
                    return ChunkSupplier.LOCATED;
                }
            }
            throw new ChunkNotFoundException(need.id, "chunk " + need.id + " not found in any store");
        };
    }
}
