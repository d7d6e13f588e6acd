package dev.jcasync.make;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.BlobIndex;

/** What a make produced: the index, the digest of the whole blob, and what the store got. */
public record MakeResult(BlobIndex index, ChunkId blobDigest, int chunksStored, int chunksReused) {}
