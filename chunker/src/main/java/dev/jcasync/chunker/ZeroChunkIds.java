package dev.jcasync.chunker;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids of all-zero chunks, for any size. Images are full of zero chunks, and extract asks "is this
 * the zero chunk?" of every chunk in the index, whose sizes nearly all differ: hashing a fresh
 * buffer of zeros for each size would cost as much as verifying the chunk itself. Instead the
 * digest state after every {@value #STEP} zero bytes is kept (a clone), so a new size costs one
 * clone, at most {@value #STEP} bytes of hashing and the final block.
 */
final class ZeroChunkIds {
    private static final int STEP = 4096;
    private static final byte[] ZEROS = new byte[STEP];

    private final DigestAlgorithm algorithm;
    /** {@code states.get(k)}: the digest after {@code k * STEP} zero bytes; never updated once added. */
    private final List<MessageDigest> states = new ArrayList<>();
    /** One entry per size asked for: at most the number of distinct chunk sizes (bounded by the max). */
    private final Map<Integer, ChunkId> ids = new ConcurrentHashMap<>();

    ZeroChunkIds(DigestAlgorithm algorithm) {
        this.algorithm = algorithm;
        // casync's default min and max chunk sizes: the zero chunks of nearly every image (a zero run
        // is cut at the max, or at the min), known without hashing 256 KiB of zeros in a JVM that
        // has not compiled its digest code yet (tens of milliseconds of a small job).
        // ZeroChunkIdsTest checks them against the digest.
        // (By name: this runs while the enum constants are being made, before they are assigned.)
        String[] known = algorithm.name().equals("SHA256")
                ? new String[] {
                    "4fe7b59af6de3b665b67788cc2f99892ab827efae3a467342b3bb4e3bc8e5bfe",
                    "8a39d2abd3999ab73c34db2476849cddf303ce389b35826850f9a700589b4a90"
                }
                : new String[] {
                    "f978c70629cb4bdfad23126759e243e476404000b71e1a20558ed6e05035dd72",
                    "1c8109946feed9f9e9fe4b5144d90f05a50fb3275e848cb72f4b9546d8c533f2"
                };
        ids.put(16 << 10, ChunkId.parse(known[0]));
        ids.put(256 << 10, ChunkId.parse(known[1]));
    }

    /** The id of a chunk of {@code length} zero bytes. Thread-safe. */
    ChunkId of(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative chunk size " + length);
        }
        ChunkId id = ids.get(length);
        if (id == null) {
            MessageDigest md = stateAfter(length / STEP);
            md.update(ZEROS, 0, length % STEP);
            id = ChunkId.wrap(md.digest());
            ids.putIfAbsent(length, id);
        }
        return id;
    }

    /** A private copy of the digest state after {@code steps * STEP} zero bytes. */
    private synchronized MessageDigest stateAfter(int steps) {
        if (states.isEmpty()) {
            states.add(algorithm.newDigest());
        }
        while (states.size() <= steps) {
            MessageDigest next = copy(states.get(states.size() - 1));
            next.update(ZEROS);
            states.add(next);
        }
        return copy(states.get(steps));
    }

    private static MessageDigest copy(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(md.getAlgorithm() + " digests cannot be copied in this JVM", e);
        }
    }
}
