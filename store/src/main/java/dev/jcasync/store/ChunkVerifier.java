package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.CorruptChunkException.Reason;
import java.io.IOException;
import java.util.List;

/**
 * The one place chunks are checked: a chunk file must decode (to the size the index gives, if
 * known) to data that is not empty and hashes to the chunk's id. Immutable and thread-safe.
 */
public final class ChunkVerifier {
    private static final ChunkVerifier ANY = new ChunkVerifier(List.of(DigestAlgorithm.values()));

    private final List<DigestAlgorithm> digests;

    private ChunkVerifier(List<DigestAlgorithm> digests) {
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("no digest algorithm");
        }
        this.digests = List.copyOf(digests);
    }

    /** Chunks named by {@code digest}: what an index's digest calls for. */
    public static ChunkVerifier of(DigestAlgorithm digest) {
        return new ChunkVerifier(List.of(digest));
    }

    /** Chunks named by any of {@code digests} (a store does not record its digest); the first is used in messages. */
    public static ChunkVerifier anyOf(List<DigestAlgorithm> digests) {
        return new ChunkVerifier(digests);
    }

    /** Chunks named by SHA-512/256 or SHA-256, as casync accepts when no digest is configured. */
    public static ChunkVerifier anyDigest() {
        return ANY;
    }

    public List<DigestAlgorithm> digests() {
        return digests;
    }

    /**
     * The chunk data held by {@code file}, if it is chunk {@code id}.
     *
     * @param expectedSize the chunk's size from the index, or -1 if unknown (then any size up to 128 MiB)
     * @param where the store or file the copy came from, for the message
     * @throws CorruptChunkException naming the chunk and {@code where}, with the decoder's error as the cause
     */
    public byte[] verify(ChunkId id, int expectedSize, ChunkFile file, String where) throws CorruptChunkException {
        byte[] data;
        try {
            data = ChunkCodec.decode(file, expectedSize);
        } catch (IOException | RuntimeException e) {
            throw new CorruptChunkException(id, where, Reason.UNDECODABLE, String.valueOf(e.getMessage()), null, e);
        }
        verifyData(id, data, where);
        return data;
    }

    /** Checks decoded chunk data; throws {@link CorruptChunkException} naming the chunk and {@code where}. */
    public void verifyData(ChunkId id, byte[] data, String where) throws CorruptChunkException {
        if (data.length == 0) {
            throw new CorruptChunkException(id, where, Reason.EMPTY, "holds no data", null, null);
        }
        ChunkId first = digests.get(0).digest(data);
        if (first.equals(id)) {
            return;
        }
        for (int i = 1; i < digests.size(); i++) {
            if (digests.get(i).digest(data).equals(id)) {
                return;
            }
        }
        throw new CorruptChunkException(id, where, Reason.MISMATCH, "its content hashes to " + first, first, null);
    }

    /** True if {@code data} (from a seed, or a range of the output) is chunk {@code id}. */
    public boolean holds(ChunkId id, byte[] data) {
        return DigestAlgorithm.namedBy(id, data, digests);
    }
}
