package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.CorruptChunkException.Reason;
import dev.jcasync.testsupport.TestData;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkVerifierTest {
    private static final ChunkVerifier SHA512 = ChunkVerifier.of(DigestAlgorithm.SHA512_256);
    private final byte[] data = TestData.random(1, 30000);
    private final ChunkId id = DigestAlgorithm.SHA512_256.digest(data);

    private ChunkFile file(Compression c) throws IOException {
        return ChunkCodec.encode(data, 0, data.length, c);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aGoodFileGivesItsData(Compression c) throws IOException {
        assertArrayEquals(data, SHA512.verify(id, data.length, file(c), "s"));
        assertArrayEquals(data, SHA512.verify(id, -1, file(c), "s"), "size unknown");
    }

    @Test
    void undecodableNamesChunkAndPlaceAndKeepsTheCause() throws IOException {
        byte[] stream = file(Compression.ZSTD).bytes();
        ChunkFile truncated = new ChunkFile(Arrays.copyOf(stream, stream.length / 2), true);
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class, () -> SHA512.verify(id, data.length, truncated, "/stores/a.castr"));
        assertEquals(id, e.id());
        assertEquals("/stores/a.castr", e.where());
        assertEquals(Reason.UNDECODABLE, e.reason());
        assertEquals("chunk " + id + " in /stores/a.castr is corrupt: " + e.detail(), e.getMessage());
        assertNotNull(e.getCause());
        assertEquals(e.getCause().getMessage(), e.detail());
        assertNull(e.actual());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void theWrongSizeIsUndecodable(Compression c) throws IOException {
        CorruptChunkException e =
                assertThrows(CorruptChunkException.class, () -> SHA512.verify(id, data.length + 1, file(c), "s"));
        assertEquals(Reason.UNDECODABLE, e.reason());
        e = assertThrows(CorruptChunkException.class, () -> SHA512.verify(id, data.length - 1, file(c), "s"));
        assertEquals(Reason.UNDECODABLE, e.reason());
    }

    @Test
    void otherDataIsAMismatchNamingWhatItHashesTo() throws IOException {
        byte[] other = data.clone();
        other[100] ^= 1;
        ChunkId actual = DigestAlgorithm.SHA512_256.digest(other);
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class,
                () -> SHA512.verify(
                        id, data.length, ChunkCodec.encode(other, 0, other.length, Compression.XZ), "http://h/s"));
        assertEquals(Reason.MISMATCH, e.reason());
        assertEquals(actual, e.actual());
        assertEquals("chunk " + id + " in http://h/s is corrupt: its content hashes to " + actual, e.getMessage());
        assertFalse(SHA512.holds(id, other));
        assertTrue(SHA512.holds(id, data));
    }

    @Test
    void anEmptyFileHoldsNoChunk() {
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class, () -> SHA512.verify(id, -1, new ChunkFile(new byte[0], false), "s"));
        assertEquals(Reason.EMPTY, e.reason());
        assertEquals("chunk " + id + " in s is corrupt: holds no data", e.getMessage());
        e = assertThrows(
                CorruptChunkException.class, () -> SHA512.verify(id, -1, new ChunkFile(new byte[0], true), "s"));
        assertEquals(Reason.UNDECODABLE, e.reason(), "an empty compressed file is no stream at all");
    }

    @Test
    void eitherDigestWhenTheStoreDoesNotSay() throws IOException {
        ChunkId sha256 = DigestAlgorithm.SHA256.digest(data);
        assertThrows(CorruptChunkException.class, () -> SHA512.verify(sha256, -1, file(Compression.ZSTD), "s"));
        assertArrayEquals(data, ChunkVerifier.anyDigest().verify(sha256, -1, file(Compression.ZSTD), "s"));
        assertArrayEquals(data, ChunkVerifier.anyDigest().verify(id, -1, file(Compression.ZSTD), "s"));
        assertTrue(ChunkVerifier.anyDigest().holds(sha256, data));
        // A mismatch under both names what the first digest makes of the data.
        ChunkVerifier sha256First = ChunkVerifier.anyOf(List.of(DigestAlgorithm.SHA256, DigestAlgorithm.SHA512_256));
        ChunkId neither = DigestAlgorithm.SHA256.digest(new byte[] {1});
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class, () -> sha256First.verify(neither, -1, file(Compression.ZSTD), "s"));
        assertEquals(sha256, e.actual());
        assertThrows(IllegalArgumentException.class, () -> ChunkVerifier.anyOf(List.of()));
    }

    @Test
    void contextKeepsTheProblem() throws IOException {
        CorruptChunkException e = assertThrows(
                CorruptChunkException.class, () -> SHA512.verify(id, -1, new ChunkFile(new byte[0], false), "s"));
        CorruptChunkException told = new CorruptChunkException(e.getMessage() + " (needed at offset 0)", e);
        assertEquals(id, told.id());
        assertEquals(Reason.EMPTY, told.reason());
        assertEquals(e, told.getCause());
        assertTrue(told.getMessage().endsWith("(needed at offset 0)"));
    }
}
