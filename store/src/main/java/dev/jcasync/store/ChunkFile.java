package dev.jcasync.store;

/**
 * A chunk as a store holds it: the file bytes, and whether they are a compressed stream
 * ({@code <id>.cacnk}) or the raw chunk ({@code <id>}, no suffix). Raw data may start with any
 * magic, so the flag, not the content, says which it is.
 */
public record ChunkFile(byte[] bytes, boolean compressed) {}
