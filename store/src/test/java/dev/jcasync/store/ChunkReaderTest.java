package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkReaderTest {
    private static final DigestAlgorithm SHA = DigestAlgorithm.SHA512_256;

    @TempDir
    Path tmp;

    private LocalStore store(String name) {
        return new LocalStore(tmp.resolve(name));
    }

    private static ChunkFile encode(byte[] data, Compression c) throws IOException {
        return ChunkCodec.encode(data, 0, data.length, c);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void verifiedRead(Compression c) throws IOException {
        LocalStore s = store("s");
        byte[] data = TestData.random(1, 70000);
        ChunkId id = SHA.digest(data);
        s.put(id, encode(data, c));
        ChunkReader reader = new ChunkReader(List.of(s), SHA);
        assertArrayEquals(data, reader.read(id, data.length));
        assertEquals(List.of(s), reader.stores());
    }

    @Test
    void sha256Ids() throws IOException {
        LocalStore s = store("s");
        byte[] data = TestData.random(2, 5000);
        ChunkId id = DigestAlgorithm.SHA256.digest(data);
        s.put(id, encode(data, Compression.ZSTD));
        assertArrayEquals(data, new ChunkReader(List.of(s), DigestAlgorithm.SHA256).read(id, data.length));
        // The same file read as a SHA-512/256 chunk does not verify.
        CorruptChunkException e =
                assertThrows(CorruptChunkException.class, () -> new ChunkReader(List.of(s), SHA).read(id, data.length));
        assertEquals(id, e.id());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void wrongSizeIsCorrupt(Compression c) throws IOException {
        LocalStore s = store("s");
        byte[] data = TestData.random(3, 10000);
        ChunkId id = SHA.digest(data);
        s.put(id, encode(data, c));
        ChunkReader reader = new ChunkReader(List.of(s), SHA);
        for (int wrong : new int[] {data.length - 1, data.length + 1, 1, 3 * data.length}) {
            CorruptChunkException e =
                    assertThrows(CorruptChunkException.class, () -> reader.read(id, wrong), c + " size " + wrong);
            assertNamesChunkAndStore(e, id, s);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void wrongContentIsCorrupt(Compression c) throws IOException {
        LocalStore s = store("s");
        byte[] data = TestData.random(4, 10000);
        byte[] other = data.clone();
        other[5000] ^= 1; // same size, different content
        ChunkId id = SHA.digest(data);
        s.put(id, encode(other, c));
        CorruptChunkException e =
                assertThrows(CorruptChunkException.class, () -> new ChunkReader(List.of(s), SHA).read(id, data.length));
        assertNamesChunkAndStore(e, id, s);
        assertTrue(e.getMessage().contains(SHA.digest(other).toHex()), "says what it hashes to: " + e.getMessage());
    }

    @Test
    void undecodableFileIsCorrupt() throws IOException {
        byte[] data = TestData.random(5, 10000);
        ChunkId id = SHA.digest(data);
        byte[] stream = encode(data, Compression.ZSTD).bytes();
        // Each broken form, in its own store: not a stream at all, truncated, empty.
        byte[][] broken = {TestData.random(6, 300), java.util.Arrays.copyOf(stream, stream.length / 2), new byte[0]};
        for (int i = 0; i < broken.length; i++) {
            LocalStore s = store("broken" + i);
            Path p = s.compressedPath(id);
            Files.createDirectories(p.getParent());
            Files.write(p, broken[i]);
            CorruptChunkException e = assertThrows(
                    CorruptChunkException.class,
                    () -> new ChunkReader(List.of(s), SHA).read(id, data.length),
                    "broken form " + i);
            assertNamesChunkAndStore(e, id, s);
        }
    }

    @Test
    void corruptCopyFallsThroughToNextStore() throws IOException {
        LocalStore bad = store("bad");
        LocalStore good = store("good");
        LocalStore empty = store("empty");
        byte[] data = TestData.random(7, 20000);
        ChunkId id = SHA.digest(data);
        byte[] wrong = TestData.random(8, 20000);
        bad.put(id, encode(wrong, Compression.ZSTD));
        good.put(id, encode(data, Compression.XZ));
        assertArrayEquals(data, new ChunkReader(List.of(bad, good), SHA).read(id, data.length));
        assertArrayEquals(data, new ChunkReader(List.of(empty, bad, good), SHA).read(id, data.length));
        assertArrayEquals(data, new ChunkReader(List.of(empty, good, bad), SHA).read(id, data.length));

        // The fetch form tells where the good copy came from.
        Fetched f = new ChunkReader(List.of(empty, bad, good), SHA).fetch(id, data.length);
        assertSame(good, f.store());
        assertArrayEquals(data, f.data());
    }

    @Test
    void truncatedCopyFallsThroughToNextStore() throws IOException {
        LocalStore bad = store("bad");
        LocalStore good = store("good");
        byte[] data = TestData.random(9, 20000);
        ChunkId id = SHA.digest(data);
        Path p = bad.rawPath(id);
        Files.createDirectories(p.getParent());
        Files.write(p, java.util.Arrays.copyOf(data, 19999)); // raw, one byte short
        good.put(id, new ChunkFile(data, false));
        assertArrayEquals(data, new ChunkReader(List.of(bad, good), SHA).read(id, data.length));
    }

    @Test
    void corruptEverywhereReportsCorruption() throws IOException {
        LocalStore bad = store("bad");
        LocalStore empty = store("empty");
        byte[] data = TestData.random(10, 20000);
        ChunkId id = SHA.digest(data);
        bad.put(id, encode(TestData.random(11, 20000), Compression.GZIP));
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class, () -> new ChunkReader(List.of(empty, bad), SHA).read(id, data.length));
        assertNamesChunkAndStore(e, id, bad);
        e = assertThrows(
                CorruptChunkException.class, () -> new ChunkReader(List.of(bad, empty), SHA).read(id, data.length));
        assertNamesChunkAndStore(e, id, bad);
    }

    @Test
    void missingEverywhere() throws IOException {
        LocalStore a = store("first.castr");
        LocalStore b = store("second.castr");
        byte[] data = TestData.random(12, 100);
        ChunkId id = SHA.digest(data);
        a.put(SHA.digest(new byte[] {1}), new ChunkFile(new byte[] {1}, false)); // some other chunk
        ChunkNotFoundException e = assertThrows(
                ChunkNotFoundException.class, () -> new ChunkReader(List.of(a, b), SHA).read(id, data.length));
        assertEquals(id, e.id());
        assertTrue(e.getMessage().contains(id.toHex()), e.getMessage());
        assertTrue(e.getMessage().contains(a.location()), e.getMessage());
        assertTrue(e.getMessage().contains(b.location()), e.getMessage());

        e = assertThrows(ChunkNotFoundException.class, () -> new ChunkReader(List.of(a), SHA).read(id, data.length));
        assertTrue(e.getMessage().contains(a.location()), e.getMessage());

        e = assertThrows(ChunkNotFoundException.class, () -> new ChunkReader(List.of(), SHA).read(id, data.length));
        assertTrue(e.getMessage().contains(id.toHex()), e.getMessage());
    }

    @Test
    void symlinkMarkedChunkCountsAsMissing() throws IOException {
        LocalStore s = store("s");
        byte[] data = TestData.random(13, 100);
        ChunkId id = SHA.digest(data);
        Files.createDirectories(s.compressedPath(id).getParent());
        Files.createSymbolicLink(s.compressedPath(id), Path.of("/dev/null"));
        assertThrows(ChunkNotFoundException.class, () -> new ChunkReader(List.of(s), SHA).read(id, data.length));
        LocalStore good = store("good");
        good.put(id, new ChunkFile(data, false));
        assertArrayEquals(data, new ChunkReader(List.of(s, good), SHA).read(id, data.length));
    }

    @Test
    void refetchesFromStoreThatAllowsIt() throws IOException {
        byte[] data = TestData.random(14, 3000);
        ChunkId id = SHA.digest(data);
        ChunkFile good = encode(data, Compression.ZSTD);
        ChunkFile bad = encode(TestData.random(15, 3000), Compression.ZSTD);
        // A flaky remote: first answer corrupt, then good; allows two refetches.
        ScriptedStore flaky = new ScriptedStore("flaky", 2, bad, good);
        assertArrayEquals(data, new ChunkReader(List.of(flaky), SHA).read(id, data.length));
        assertEquals(2, flaky.gets);

        // A local-like store (no refetch) is asked once.
        ScriptedStore once = new ScriptedStore("once", 0, bad, good);
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class, () -> new ChunkReader(List.of(once), SHA).read(id, data.length));
        assertEquals(1, once.gets);
        assertTrue(e.getMessage().contains("once"), e.getMessage());
    }

    private static void assertNamesChunkAndStore(CorruptChunkException e, ChunkId id, ChunkStore store) {
        assertEquals(id, e.id());
        assertTrue(e.getMessage().contains(id.toHex()), "names the chunk: " + e.getMessage());
        assertTrue(e.getMessage().contains(store.location()), "names the store: " + e.getMessage());
    }

    /** Answers get() with the given files in turn (the last one repeatedly). */
    private static final class ScriptedStore implements ChunkStore {
        private final String name;
        private final int refetches;
        private final Deque<ChunkFile> answers;
        int gets;

        ScriptedStore(String name, int refetches, ChunkFile... answers) {
            this.name = name;
            this.refetches = refetches;
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public synchronized Optional<ChunkFile> get(ChunkId id) {
            gets++;
            return Optional.of(answers.size() > 1 ? answers.poll() : answers.peek());
        }

        @Override
        public boolean has(ChunkId id) {
            return true;
        }

        @Override
        public void put(ChunkId id, ChunkFile file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int refetchesOnCorruption() {
            return refetches;
        }

        @Override
        public String location() {
            return "scripted:" + name;
        }
    }
}
