package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Chunks and stores for the tests of stores that wrap stores. */
final class TestStores {
    static final DigestAlgorithm SHA = DigestAlgorithm.SHA512_256;

    private TestStores() {}

    /** A chunk: its data, its zstd file and its id. */
    record Chunk(byte[] data, ChunkFile file, ChunkId id) {
        static Chunk of(long seed, int size) throws IOException {
            byte[] data = TestData.random(seed, size);
            return new Chunk(data, ChunkCodec.encode(data, 0, size, Compression.ZSTD), SHA.digest(data));
        }

        /** A zstd file of other data of the same size, stored under this chunk's id. */
        ChunkFile corruptFile() throws IOException {
            byte[] other = data.clone();
            other[other.length / 2] ^= 1;
            return ChunkCodec.encode(other, 0, other.length, Compression.ZSTD);
        }
    }

    /** Wraps a store, counting what it is asked. */
    static class Counting implements ChunkStore {
        final ChunkStore inner;
        final AtomicInteger gets = new AtomicInteger();
        final AtomicInteger puts = new AtomicInteger();

        Counting(ChunkStore inner) {
            this.inner = inner;
        }

        @Override
        public Optional<ChunkFile> get(ChunkId id) throws IOException {
            gets.incrementAndGet();
            return inner.get(id);
        }

        @Override
        public boolean has(ChunkId id) throws IOException {
            return inner.has(id);
        }

        @Override
        public void put(ChunkId id, ChunkFile file) throws IOException {
            puts.incrementAndGet();
            inner.put(id, file);
        }

        @Override
        public String location() {
            return inner.location();
        }
    }

    /** A store that cannot be reached: every request fails, and is counted. */
    static final class Down implements ReadStore {
        final String name;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Down(String name) {
            this.name = name;
        }

        private IOException failure() {
            requests.incrementAndGet();
            return new IOException("connection refused");
        }

        @Override
        public Optional<ChunkFile> get(ChunkId id) throws IOException {
            throw failure();
        }

        @Override
        public boolean has(ChunkId id) throws IOException {
            throw failure();
        }

        @Override
        public long sizeOf(ChunkId id) throws IOException {
            throw failure();
        }

        @Override
        public String location() {
            return name;
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }
}
