package dev.jcasync.store;

/**
 * A verified chunk: its data, the file it was decoded from, and the store that had it (the store
 * itself, not a router or cache wrapping it: reports count transfers per store).
 */
public record Fetched(byte[] data, ChunkFile file, ReadStore store) {}
