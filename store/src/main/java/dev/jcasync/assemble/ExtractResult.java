package dev.jcasync.assemble;

/** What an extract did: bytes written, and how many distinct chunks it read from the stores. */
public record ExtractResult(long bytes, int chunks, int distinctChunks) {}
