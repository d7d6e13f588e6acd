package dev.jcasync.maintain;

import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.Parallel;
import dev.jcasync.io.Ranges;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.ChunkWriter;
import dev.jcasync.store.Compression;
import dev.jcasync.store.CorruptChunkException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stores the chunks of a file that an index lists, for an index made without a store (desync's
 * {@code chop}). The file is not chunked again: each chunk is read at the offset the index gives
 * and must hash to its id, so a file that differs from the index is refused, naming the offset.
 * Chunks the store already has are not read.
 */
public final class Chopper {
    /** What a chop did, in distinct chunks. */
    public record Result(int stored, int present) {}

    private final Compression compression;
    private final int threads;

    public Chopper(Compression compression, int threads) {
        this.compression = compression;
        this.threads = Math.max(1, threads);
    }

    public Result chop(BlobIndex index, Path file, ChunkStore store) throws IOException {
        ChunkVerifier verifier = ChunkVerifier.of(index.digest());
        ChunkWriter writer = new ChunkWriter(store);
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger present = new AtomicInteger();
        try (FileChannel in = FileChannel.open(file)) {
            // A block device reports size 0: its end shows as a short read instead.
            if (Files.isRegularFile(file) && in.size() != index.blobSize()) {
                throw new IOException(file + ": " + in.size() + " bytes, but the index describes " + index.blobSize());
            }
            Parallel.forEach(index.distinctEntries().iterator(), threads, e -> {
                boolean isNew = writer.putIfAbsent(e.id(), () -> {
                    byte[] data = read(in, file, e);
                    try {
                        verifier.verifyData(e.id(), data, file + " at offset " + e.offset());
                    } catch (CorruptChunkException c) {
                        throw new IOException(
                                file + ": does not match the index at offset " + e.offset() + " (chunk " + e.id()
                                        + ", the file has " + c.actual() + ")",
                                c);
                    }
                    return ChunkCodec.encode(data, 0, data.length, compression);
                });
                (isNew ? stored : present).incrementAndGet();
            });
        }
        return new Result(stored.get(), present.get());
    }

    private static byte[] read(FileChannel in, Path file, IndexEntry e) throws IOException {
        byte[] data = Ranges.read(in, e.offset(), e.size());
        if (data == null) {
            throw new IOException(
                    file + ": ends at " + in.size() + ", before the end of the chunk at offset " + e.offset());
        }
        return data;
    }
}
