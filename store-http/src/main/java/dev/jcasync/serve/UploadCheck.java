package dev.jcasync.serve;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.store.ChunkFile;
import dev.jcasync.store.ChunkVerifier;
import dev.jcasync.store.CorruptChunkException;
import java.util.Optional;

/** Decides whether an uploaded chunk file really holds the chunk it claims to, before it is stored. */
final class UploadCheck {
    private UploadCheck() {}

    /** Why {@code file} is not chunk {@code id}, or empty if it is. */
    static Optional<String> problem(ChunkId id, ChunkFile file) {
        try {
            // The server does not know which digest the uploader's index uses: accept either, as casync
            // does when no digest is configured (docs/format.md 6.4). Decoding refuses more than 128 MiB.
            ChunkVerifier.anyDigest().verify(id, -1, file, "upload");
            return Optional.empty();
        } catch (CorruptChunkException e) {
            return Optional.of(
                    switch (e.reason()) {
                        case UNDECODABLE -> "not a valid chunk file: " + e.detail();
                        case EMPTY -> "chunk data must be 1 to " + ChunkSizes.LIMIT + " bytes, got 0";
                        case MISMATCH -> "content does not hash to " + id + " (sha512-256 or sha256)";
                    });
        }
    }
}
