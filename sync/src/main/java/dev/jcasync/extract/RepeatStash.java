package dev.jcasync.extract;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.io.Ranges;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Chunks a stream needs again further on: a stream cannot read back what it wrote, and a chunk is
 * never fetched twice. Held in memory up to a budget, the rest in a temporary file (removed on
 * close). Used by one thread.
 */
final class RepeatStash implements Closeable {
    private final long memoryBudget;
    private long inMemory;
    private final Map<ChunkId, byte[]> memory = new HashMap<>();
    private final Map<ChunkId, Long> spilled = new HashMap<>();
    private Path spillFile;
    private FileChannel spill;
    private long spillEnd;

    RepeatStash(long memoryBudget) {
        this.memoryBudget = memoryBudget;
    }

    void put(ChunkId id, ByteBuffer data) throws IOException {
        if (memory.containsKey(id) || spilled.containsKey(id)) {
            return;
        }
        int size = data.remaining();
        if (inMemory + size <= memoryBudget) {
            byte[] copy = new byte[size];
            data.duplicate().get(copy);
            memory.put(id, copy);
            inMemory += size;
            return;
        }
        if (spill == null) {
            spillFile = Files.createTempFile("jcasync-repeats", ".tmp");
            spill = FileChannel.open(
                    spillFile, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        }
        ByteBuffer b = data.duplicate();
        long pos = spillEnd;
        while (b.hasRemaining()) {
            pos += spill.write(b, pos);
        }
        spilled.put(id, spillEnd);
        spillEnd = pos;
    }

    /** The chunk put earlier. */
    ByteBuffer get(ChunkId id, int size) throws IOException {
        byte[] data = memory.get(id);
        if (data == null) {
            Long at = spilled.get(id);
            data = at == null ? null : Ranges.read(spill, at, size);
        }
        if (data == null) {
            throw new IllegalStateException("chunk " + id + " was not kept for its next place");
        }
        return ByteBuffer.wrap(data);
    }

    /** No place needs the chunk any more. */
    void remove(ChunkId id) {
        byte[] data = memory.remove(id);
        if (data != null) {
            inMemory -= data.length;
        }
        spilled.remove(id); // its room in the file is not reused: the file holds each repeated chunk once at most
    }

    @Override
    public void close() throws IOException {
        if (spill != null) {
            spill.close();
            Files.deleteIfExists(spillFile);
        }
    }
}
