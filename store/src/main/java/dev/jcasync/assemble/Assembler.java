package dev.jcasync.assemble;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.AtomicFile;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.ChunkReader;
import dev.jcasync.store.CorruptChunkException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
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
 * Rebuilds a blob from its index: every distinct chunk is read (and verified) once and written at
 * each offset where the index places it. The output appears under its name only when complete.
 */
public final class Assembler {
    private final ChunkReader reader;
    private final int concurrency;

    public Assembler(ChunkReader reader, int concurrency) {
        this.reader = reader;
        this.concurrency = Math.max(1, concurrency);
    }

    public ExtractResult extract(BlobIndex index, Path output) throws IOException {
        Map<ChunkId, List<IndexEntry>> placements = new LinkedHashMap<>();
        for (IndexEntry e : index.entries()) {
            placements.computeIfAbsent(e.id(), k -> new ArrayList<>(1)).add(e);
        }
        Path temp = AtomicFile.tempBeside(output);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "jcasync-extract");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            List<Future<?>> tasks = new ArrayList<>(placements.size());
            for (List<IndexEntry> places : placements.values()) {
                tasks.add(pool.submit(() -> {
                    writeChunk(out, places);
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                await(task);
            }
            out.truncate(index.blobSize());
            AtomicFile.commit(temp, output);
            done = true;
        } finally {
            pool.shutdownNow();
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
        return new ExtractResult(index.blobSize(), index.entries().size(), placements.size());
    }

    private void writeChunk(FileChannel out, List<IndexEntry> places) throws IOException {
        IndexEntry first = places.get(0);
        byte[] data;
        try {
            data = reader.read(first.id(), first.size());
        } catch (ChunkNotFoundException e) {
            throw new ChunkNotFoundException(first.id(), e.getMessage() + " (needed at offset " + first.offset() + ")");
        } catch (CorruptChunkException e) {
            throw new CorruptChunkException(first.id(), e.getMessage() + " (needed at offset " + first.offset() + ")");
        }
        for (IndexEntry place : places) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            long pos = place.offset();
            while (buf.hasRemaining()) {
                pos += out.write(buf, pos);
            }
        }
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
