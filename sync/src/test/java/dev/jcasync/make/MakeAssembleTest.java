package dev.jcasync.make;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.extract.ExtractReport;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkNotFoundException;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.Compression;
import dev.jcasync.store.CorruptChunkException;
import dev.jcasync.store.LocalStore;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MakeAssembleTest {
    private static final ChunkSizes SMALL = new ChunkSizes(2048, 8192, 32768);
    private static byte[] random;
    private static byte[] structured;

    @TempDir
    Path tmp;

    @BeforeAll
    static void inputs() {
        random = TestData.random(42, 3 * 1024 * 1024 + 777);
        byte[] a = TestData.random(1, 200_000);
        byte[] b = TestData.random(2, 300_000);
        byte[] c = TestData.random(3, 150_000);
        byte[] zeros = new byte[600_000];
        structured = TestData.concat(a, b, a, c, zeros, a, b, c, a, TestData.random(4, 12345));
    }

    static byte[] input(String name) {
        return name.equals("random") ? random : structured;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("random", ChunkSizes.DEFAULT),
                Arguments.of("structured", ChunkSizes.DEFAULT),
                Arguments.of("random", SMALL),
                Arguments.of("structured", SMALL));
    }

    private static MakeOptions options(ChunkSizes sizes, int concurrency) {
        return MakeOptions.defaults().withSizes(sizes).withConcurrency(concurrency);
    }

    private static MakeResult make(byte[] data, MakeOptions options, ChunkStore store) throws IOException {
        return new BlobMaker(options).make(TestData.channel(data), store);
    }

    private static Set<ChunkId> distinct(BlobIndex index) {
        return index.entries().stream().map(IndexEntry::id).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The distinct ids an extract has to obtain: all-zero chunks are made locally instead. */
    private static Set<ChunkId> distinctNonZero(BlobIndex index) {
        return index.entries().stream()
                .filter(e -> !isZero(e))
                .map(IndexEntry::id)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static boolean isZero(IndexEntry e) {
        return e.id().equals(DigestAlgorithm.SHA512_256.zeroChunkId(e.size()));
    }

    /** A chunk an extract must fetch (not an all-zero one), at or after entry {@code from}. */
    private static IndexEntry fetchedChunk(BlobIndex index, int from) {
        return index.entries().subList(from, index.entries().size()).stream()
                .filter(e -> !isZero(e))
                .findFirst()
                .orElseThrow();
    }

    private static ExtractReport extract(List<ChunkStore> stores, int concurrency, BlobIndex index, Path out)
            throws IOException {
        return new Assembler(stores, ExtractOptions.defaults().withConcurrency(concurrency)).extract(index, out);
    }

    /** The index describes {@code data} exactly: contiguous entries, sizes in range, ids = digests. */
    private static void assertIndexDescribes(BlobIndex index, byte[] data, ChunkSizes sizes, DigestAlgorithm digest) {
        assertEquals(sizes, index.sizes());
        assertEquals(BlobIndex.featureFlagsFor(digest), index.featureFlags());
        assertEquals(digest, index.digest());
        long pos = 0;
        List<IndexEntry> entries = index.entries();
        for (int i = 0; i < entries.size(); i++) {
            IndexEntry e = entries.get(i);
            assertEquals(pos, e.offset(), "entry " + i);
            assertTrue(e.size() <= sizes.max(), "entry " + i + " size " + e.size());
            if (i < entries.size() - 1) {
                assertTrue(e.size() >= sizes.min(), "entry " + i + " size " + e.size());
            }
            assertEquals(digest.digest(data, (int) e.offset(), e.size()), e.id(), "entry " + i);
            pos += e.size();
        }
        assertEquals(data.length, pos);
        assertEquals(data.length, index.blobSize());
    }

    private static List<String> tempFiles(Path dir) {
        return TestData.names(dir).stream().filter(n -> n.startsWith(".#")).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void makeIsIndependentOfConcurrencyAndStore(String name, ChunkSizes sizes) throws IOException {
        byte[] data = input(name);
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        MakeResult one = make(data, options(sizes, 1), store);
        assertIndexDescribes(one.index(), data, sizes, DigestAlgorithm.SHA512_256);
        assertEquals(TestData.sha512_256Hex(data), one.blobDigest().toHex());

        Set<ChunkId> ids = distinct(one.index());
        if (name.equals("structured")) {
            assertTrue(ids.size() < one.index().entries().size(), "structured input repeats chunks");
        }
        assertEquals(ids.size(), one.chunksStored() + one.chunksReused());
        assertEquals(ids.size(), one.chunksStored(), "a fresh store gets every distinct chunk");
        assertEquals(ids.size(), TestData.files(store.root()).size());
        for (ChunkId id : ids) {
            assertTrue(Files.isRegularFile(store.compressedPath(id)), id.toString());
        }

        // Same input, 4 workers, a fresh store: identical index, same stored set.
        LocalStore store4 = new LocalStore(tmp.resolve("store4.castr"));
        MakeResult four = make(data, options(sizes, 4), store4);
        assertEquals(one.index(), four.index());
        assertEquals(one.blobDigest(), four.blobDigest());
        assertEquals(ids.size(), four.chunksStored());
        assertEquals(0, four.chunksReused());
        assertEquals(
                TestData.files(store.root()).stream()
                        .map(p -> store.root().relativize(p).toString())
                        .collect(Collectors.toList()),
                TestData.files(store4.root()).stream()
                        .map(p -> store4.root().relativize(p).toString())
                        .collect(Collectors.toList()));

        // Again into the same store: nothing new is stored.
        MakeResult again = make(data, options(sizes, 4), store);
        assertEquals(one.index(), again.index());
        assertEquals(0, again.chunksStored());
        assertEquals(ids.size(), again.chunksReused());
        assertEquals(ids.size(), TestData.files(store.root()).size());

        // No store: index only.
        MakeResult noStore = make(data, options(sizes, 3), null);
        assertEquals(one.index(), noStore.index());
        assertEquals(one.blobDigest(), noStore.blobDigest());
        assertEquals(0, noStore.chunksStored());
        assertEquals(0, noStore.chunksReused());

        // Reading in tiny pieces changes nothing.
        MakeResult trickled = new BlobMaker(options(sizes, 4)).make(TestData.trickle(data, 5000, 7), null);
        assertEquals(one.index(), trickled.index());

        // A file is chunked in parallel (ParallelSplitter): the same index, digest and chunks.
        Path file = Files.write(tmp.resolve(name + ".img"), data);
        for (int concurrency : new int[] {1, 2, 4, 8}) {
            LocalStore fileStore = new LocalStore(tmp.resolve("file-store-" + concurrency + ".castr"));
            MakeResult fromFile;
            try (FileChannel channel = FileChannel.open(file)) {
                fromFile = new BlobMaker(options(sizes, concurrency)).make(channel, fileStore);
            }
            assertEquals(one.index(), fromFile.index(), "concurrency " + concurrency);
            assertEquals(one.blobDigest(), fromFile.blobDigest());
            assertEquals(ids.size(), fromFile.chunksStored());
            assertEquals(ids.size(), TestData.files(fileStore.root()).size());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void extractReproducesInput(String name, ChunkSizes sizes) throws IOException {
        byte[] data = input(name);
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        BlobIndex index = make(data, options(sizes, 4), store).index();
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        for (int concurrency : new int[] {1, 4}) {
            Path out = outDir.resolve("blob-" + concurrency + ".img");
            ExtractReport report = extract(List.of(store), concurrency, index, out);
            assertArrayEquals(data, Files.readAllBytes(out), "concurrency " + concurrency);
            assertEquals(data.length, report.blobSize());
            assertEquals(index.entries().size(), report.chunks());
            assertEquals(distinct(index).size(), report.distinctChunks());
        }
        assertEquals(List.of(), tempFiles(outDir));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyCompressionRoundTrips(Compression c) throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        MakeResult r = make(structured, options(SMALL, 4).withCompression(c), store);
        for (ChunkId id : distinct(r.index())) {
            Path expected = c == Compression.NONE ? store.rawPath(id) : store.compressedPath(id);
            assertTrue(Files.isRegularFile(expected), expected.toString());
            if (c != Compression.NONE) {
                assertEquals(c, Compression.detect(Files.readAllBytes(expected)));
            }
        }
        Path out = tmp.resolve("out.img");
        extract(List.of(store), 4, r.index(), out);
        assertArrayEquals(structured, Files.readAllBytes(out));
    }

    @Test
    void sha256Digest() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        MakeResult r = make(structured, options(SMALL, 4).withDigest(DigestAlgorithm.SHA256), store);
        assertIndexDescribes(r.index(), structured, SMALL, DigestAlgorithm.SHA256);
        assertEquals(0, r.index().featureFlags() & BlobIndex.FLAG_SHA512_256);
        assertEquals(DigestAlgorithm.SHA256.digest(structured), r.blobDigest());
        MakeResult other = make(structured, options(SMALL, 4), null);
        assertNotEquals(
                other.index().entries().get(0).id(), r.index().entries().get(0).id());
        assertEquals(
                other.index().entries().stream().map(IndexEntry::size).collect(Collectors.toList()),
                r.index().entries().stream().map(IndexEntry::size).collect(Collectors.toList()),
                "the digest does not move boundaries");
        Path out = tmp.resolve("out.img");
        extract(List.of(store), 4, r.index(), out);
        assertArrayEquals(structured, Files.readAllBytes(out));
    }

    @Test
    void emptyInput() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        MakeResult r = make(new byte[0], MakeOptions.defaults(), store);
        assertEquals(List.of(), r.index().entries());
        assertEquals(
                "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a",
                r.blobDigest().toHex());
        assertEquals(0, r.chunksStored());
        assertEquals(0, r.chunksReused());
        Path out = tmp.resolve("empty.img");
        ExtractReport report = extract(List.of(store), 2, r.index(), out);
        assertTrue(Files.isRegularFile(out));
        assertEquals(0, Files.size(out));
        assertEquals(0, report.blobSize());
    }

    @Test
    void makeIntoStoreThatAlreadyHasSomeChunks() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        byte[] first = Arrays.copyOf(structured, 700_000);
        MakeResult a = make(first, options(SMALL, 4), store);
        MakeResult b = make(structured, options(SMALL, 4), store);
        Set<ChunkId> common = new HashSet<>(distinct(a.index()));
        common.retainAll(distinct(b.index()));
        assertFalse(common.isEmpty());
        assertEquals(common.size(), b.chunksReused());
        assertEquals(distinct(b.index()).size() - common.size(), b.chunksStored());
        Set<ChunkId> union = new HashSet<>(distinct(a.index()));
        union.addAll(distinct(b.index()));
        assertEquals(union.size(), TestData.files(store.root()).size());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void missingChunkLeavesNoOutputAndNoTemp(int concurrency) throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        BlobIndex index = make(structured, options(SMALL, 4), store).index();
        IndexEntry victim = fetchedChunk(index, index.entries().size() / 2);
        Files.delete(store.compressedPath(victim.id()));
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        Path out = outDir.resolve("blob.img");
        ChunkNotFoundException e =
                assertThrows(ChunkNotFoundException.class, () -> extract(List.of(store), concurrency, index, out));
        assertEquals(victim.id(), e.id());
        assertTrue(e.getMessage().contains(victim.id().toHex()), e.getMessage());
        assertTrue(e.getMessage().contains(store.location()), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), TestData.names(outDir), "no output and no temporary file");
    }

    @Test
    void corruptChunkLeavesNoOutputAndNoTemp() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        BlobIndex index = make(structured, options(SMALL, 4), store).index();
        IndexEntry victim = fetchedChunk(index, 3);
        Path p = store.compressedPath(victim.id());
        Files.delete(p);
        byte[] wrong = TestData.random(99, victim.size());
        Files.write(
                p, ChunkCodec.encode(wrong, 0, wrong.length, Compression.ZSTD).bytes());
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        Path out = outDir.resolve("blob.img");
        CorruptChunkException e =
                assertThrows(CorruptChunkException.class, () -> extract(List.of(store), 4, index, out));
        assertEquals(victim.id(), e.id());
        assertTrue(e.getMessage().contains(store.location()), e.getMessage());
        assertEquals(List.of(), TestData.names(outDir), "no output and no temporary file");

        // A second store with a good copy rescues the extract.
        LocalStore good = new LocalStore(tmp.resolve("good.castr"));
        make(structured, options(SMALL, 4), good);
        extract(List.of(store, good), 4, index, out);
        assertArrayEquals(structured, Files.readAllBytes(out));
    }

    @Test
    void existingOutputIsReplacedOnlyOnSuccess() throws IOException {
        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        BlobIndex index = make(structured, options(SMALL, 4), store).index();
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        Path out = outDir.resolve("blob.img");
        byte[] old = TestData.random(77, structured.length + 5000); // longer than the blob, unrelated content
        Files.write(out, old);

        IndexEntry victim = index.entries().get(index.entries().size() - 1);
        Path victimPath = store.compressedPath(victim.id());
        byte[] victimFile = Files.readAllBytes(victimPath);
        Files.delete(victimPath);
        assertThrows(ChunkNotFoundException.class, () -> extract(List.of(store), 4, index, out));
        assertArrayEquals(old, Files.readAllBytes(out), "a failed extract leaves the old output untouched");
        assertEquals(List.of("blob.img"), TestData.names(outDir));

        Files.write(victimPath, victimFile);
        extract(List.of(store), 4, index, out);
        assertArrayEquals(structured, Files.readAllBytes(out), "replaced, not overwritten in place: no old tail");
        assertEquals(List.of("blob.img"), TestData.names(outDir));
    }

    @Test
    void existingOutputServesAsSeed() throws IOException {
        // casync uses an existing output as a seed: an up-to-date output needs no store at all.
        MakeResult r = make(structured, options(SMALL, 4), null);
        Path out = tmp.resolve("blob.img");
        Files.write(out, structured);
        LocalStore empty = new LocalStore(tmp.resolve("empty.castr"));
        ExtractReport report = extract(List.of(empty), 4, r.index(), out);
        assertArrayEquals(structured, Files.readAllBytes(out));
        assertEquals(distinctNonZero(r.index()).size(), report.fromSeeds().chunks());
    }

    @Test
    void storeFailureFailsMake() {
        ChunkStore failing = new ChunkStore() {
            @Override
            public java.util.Optional<dev.jcasync.store.ChunkFile> get(ChunkId id) {
                return java.util.Optional.empty();
            }

            @Override
            public boolean has(ChunkId id) {
                return false;
            }

            @Override
            public void put(ChunkId id, dev.jcasync.store.ChunkFile file) throws IOException {
                throw new IOException("disk full (test)");
            }

            @Override
            public String location() {
                return "failing";
            }
        };
        IOException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> make(random, options(SMALL, 4), failing)));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    }

    @Test
    void matchesCasyncVectors() throws IOException {
        Path vectors = TestData.vectorsDir();
        byte[] text = Files.readAllBytes(vectors.resolve("inputs/text-256k.bin"));
        BlobIndex casyncIndex = IndexReader.read(vectors.resolve("cases/text-zstd/index.caibx"));

        LocalStore store = new LocalStore(tmp.resolve("store.castr"));
        MakeResult r = make(text, MakeOptions.defaults().withConcurrency(4), store);
        assertEquals(casyncIndex, r.index(), "same index as casync make");
        Set<String> ours = TestData.files(store.root()).stream()
                .map(p -> store.root().relativize(p).toString())
                .collect(Collectors.toSet());
        Path casyncStore = vectors.resolve("cases/text-zstd/store.castr");
        Set<String> theirs = TestData.files(casyncStore).stream()
                .map(p -> casyncStore.relativize(p).toString())
                .collect(Collectors.toSet());
        assertEquals(theirs, ours, "same chunk file names as casync's store");

        // Extract casync's index from casync's stores, in each compression.
        for (String c : new String[] {"text-zstd", "text-xz", "text-gzip"}) {
            BlobIndex index =
                    IndexReader.read(vectors.resolve("cases").resolve(c).resolve("index.caibx"));
            Path out = tmp.resolve(c + ".out");
            extract(List.of(new LocalStore(vectors.resolve("cases").resolve(c).resolve("store.castr"))), 4, index, out);
            assertArrayEquals(text, Files.readAllBytes(out), c);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void scanHandsOnExactlyTheDistinctChunksOfWantedSizes(int concurrency) throws IOException {
        BlobIndex index = make(structured, options(SMALL, 1), null).index();
        Set<Integer> sizes = index.entries().stream().map(IndexEntry::size).collect(Collectors.toSet());
        Set<Integer> wanted = sizes.stream().filter(n -> n % 2 == 0).collect(Collectors.toSet());
        assertFalse(wanted.isEmpty());
        assertNotEquals(sizes, wanted);
        Set<ChunkId> expected = index.entries().stream()
                .filter(e -> wanted.contains(e.size()))
                .map(IndexEntry::id)
                .collect(Collectors.toSet());

        Set<ChunkId> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        new BlobMaker(options(SMALL, concurrency))
                .scan(
                        TestData.channel(structured),
                        wanted::contains,
                        java.util.Collections.max(wanted),
                        (id, data, offset, length, position) -> {
                            assertTrue(wanted.contains(length), "size " + length + " was not asked for");
                            assertEquals(
                                    id,
                                    DigestAlgorithm.SHA512_256.digest(
                                            Arrays.copyOfRange(data, offset, offset + length)));
                            assertTrue(seen.add(id), "chunk " + id + " handed on twice");
                            assertEquals(
                                    id,
                                    DigestAlgorithm.SHA512_256.digest(
                                            Arrays.copyOfRange(structured, (int) position, (int) position + length)),
                                    "the position is where the chunk is in the blob");
                        });
        assertEquals(expected, seen);
    }
}
