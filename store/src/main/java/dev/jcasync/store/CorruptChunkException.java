package dev.jcasync.store;

import dev.jcasync.chunker.ChunkId;
import java.io.IOException;

/**
 * A chunk file (or chunk data) that does not hold the chunk its id names. Thrown by
 * {@link ChunkVerifier}, whose message names the chunk and where the copy came from:
 * {@code chunk <id> in <where> is corrupt: <detail>}.
 */
public class CorruptChunkException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the copy. */
    public enum Reason {
        /** Cannot be decoded (to the size the index gives): truncated, damaged, or not a known format. */
        UNDECODABLE,
        /** Decodes to no data at all; no chunk is empty. */
        EMPTY,
        /** Decodes, but to data with another id (a flipped byte, or another chunk's file). */
        MISMATCH,
        /**
         * Not opened or not read: what sits at the chunk's name is not a regular file, or is larger
         * than the chunk can take ({@link ChunkFileReader}).
         */
        NOT_A_CHUNK_FILE
    }

    private final ChunkId id;
    private final String where;
    private final Reason reason;
    private final String detail;
    private final ChunkId actual;

    /** What {@link ChunkVerifier} throws. {@code actual}: for a {@link Reason#MISMATCH}, the id the data has. */
    public CorruptChunkException(
            ChunkId id, String where, Reason reason, String detail, ChunkId actual, Throwable cause) {
        super("chunk " + id + " in " + where + " is corrupt: " + detail, cause);
        this.id = id;
        this.where = where;
        this.reason = reason;
        this.detail = detail;
        this.actual = actual;
    }

    /** The same problem, told with more context (e.g. where the chunk was needed). */
    public CorruptChunkException(String message, CorruptChunkException cause) {
        super(message, cause);
        this.id = cause.id;
        this.where = cause.where;
        this.reason = cause.reason;
        this.detail = cause.detail;
        this.actual = cause.actual;
    }

    public ChunkId id() {
        return id;
    }

    /** The store (or file, or upload) the corrupt copy came from. */
    public String where() {
        return where;
    }

    public Reason reason() {
        return reason;
    }

    /** The message without the chunk and its place, e.g. {@code its content hashes to <id>}. */
    public String detail() {
        return detail;
    }

    /** For a {@link Reason#MISMATCH}: the id the data has (by the first digest tried); else null. */
    public ChunkId actual() {
        return actual;
    }
}
