package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.ChunkFile;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Decides whether an uploaded chunk file really holds the chunk it claims to, before it is stored. */
final class UploadCheck {
    private UploadCheck() {}

    /** Why {@code file} is not chunk {@code id}, or empty if it is. */
    static Optional<String> problem(ChunkId id, ChunkFile file) {
        byte[] data;
        try {
            data = ChunkCodec.decode(file, -1);
        } catch (IOException | RuntimeException e) {
            return Optional.of("not a valid chunk file: " + e.getMessage());
        }
        if (data.length == 0) { // (decode refuses more than 128 MiB)
            return Optional.of("chunk data must be 1 to " + ChunkSizes.LIMIT + " bytes, got 0");
        }
        // The server does not know which digest the uploader's index uses: accept either, as casync
        // does when no digest is configured (FORMAT.md 6.4).
        return DigestAlgorithm.namedBy(id, data, List.of(DigestAlgorithm.values())) ? Optional.empty()
                : Optional.of("content does not hash to " + id + " (sha512-256 or sha256)");
    }
}
