package dev.jcasync.extract;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.io.FirstBytes;
import dev.jcasync.make.BlobMaker;
import dev.jcasync.make.ChunkSink;
import dev.jcasync.make.MakeOptions;
import dev.jcasync.store.ChunkStore;
import dev.jcasync.store.ChunkVerifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state one extract's steps share: the target's distinct chunks (what the first step, planning,
 * works out from the index), the counters, and the output being written.
 */
final class Extraction {
    final BlobIndex index;
    final DigestAlgorithm digest;
    /** Every chunk read from the output or a seed is checked against its id here. */
    final ChunkVerifier verifier;

    final ExtractOptions options;
    /** Every distinct chunk, in the order of its first occurrence. */
    final Map<ChunkId, Need> needs = new LinkedHashMap<>();

    final Tallies tallies;
    /** The output of a random-access run (null when streaming). */
    FileOutput output;

    /** The plan step: groups the index's places by chunk. */
    Extraction(BlobIndex index, ExtractOptions options, List<ChunkStore> stores) {
        this.index = index;
        this.digest = index.digest();
        this.verifier = ChunkVerifier.of(digest);
        this.options = options;
        this.tallies = new Tallies(stores);
        List<IndexEntry> entries = index.entries();
        int lastSize = entries.isEmpty() ? -1 : entries.get(entries.size() - 1).size();
        for (IndexEntry e : entries) {
            needs.computeIfAbsent(
                            e.id(),
                            k -> new Need(e, mayBeZero(e.size(), lastSize) && k.equals(digest.zeroChunkId(e.size()))))
                    .places
                    .add(e);
        }
    }

    /**
     * Whether a chunk of {@code size} bytes can be all zeros. The chunker cuts a run of zeros at the
     * max size, or at the min if the zero window is a boundary; any other cut ends on bytes that
     * are not all zero, except the end of the blob. So only those sizes are asked about: naming the
     * zero chunk of every size costs a small job more than its data (its digest code is cold). A
     * zero chunk of another size (an index cut some other way) is fetched like any other.
     */
    private boolean mayBeZero(int size, int lastSize) {
        return size == index.sizes().max() || size == index.sizes().min() || size == lastSize;
    }

    /**
     * Writes {@code need}'s chunk at every place still to be written, counting all but the source's
     * own copy as repeated (all of them when the source was a place of the output itself). A zero
     * chunk is left unwritten where the output reads as zeros anyway.
     */
    void writeEverywhere(Need need, ByteBuffer data) throws IOException {
        boolean sourceWasOutput = need.from.kind() == ExtractPlan.Kind.IN_PLACE;
        int copies = sourceWasOutput ? need.toWrite.size() : need.toWrite.size() - 1;
        tallies.repeated(need, copies);
        boolean hole = need.zero && output.unwrittenIsZero();
        for (IndexEntry place : need.toWrite) {
            if (!hole) {
                output.write(data.duplicate(), place.offset());
            }
            options.progress().accept(place.size());
        }
    }

    /** The sizes of the chunks a copy could still help with (a scan hashes only chunks of these sizes). */
    BitSet neededSizes() {
        BitSet sizes = new BitSet();
        for (Need need : needs.values()) {
            if (need.wantsCopy()) {
                sizes.set(need.size);
            }
        }
        return sizes;
    }

    /**
     * Chunks {@code file} with the target's parameters, handing {@code sink} the chunks of a size
     * still needed. A device is read as far as the target reaches (plus a chunk), not to its end:
     * a partition is often far larger than the image it holds.
     */
    void scan(Path file, String what, ChunkSink sink) throws IOException {
        BitSet sizes = neededSizes();
        if (sizes.isEmpty()) {
            return;
        }
        MakeOptions scan = MakeOptions.defaults()
                .withSizes(index.sizes())
                .withDigest(digest)
                .withConcurrency(options.concurrency());
        // Only errors reading the file are its own: one from the sink (writing the output) is not.
        ChunkSink passOn = (id, data, offset, length, position) -> {
            try {
                sink.accept(id, data, offset, length, position);
            } catch (IOException e) {
                throw new SinkFailure(e);
            }
        };
        try (FileChannel channel = FileChannel.open(file)) {
            ReadableByteChannel in = Files.isRegularFile(file)
                    ? channel
                    : new FirstBytes(channel, index.blobSize() + index.sizes().max());
            new BlobMaker(scan).scan(in, sizes::get, sizes.length() - 1, passOn);
        } catch (SinkFailure e) {
            throw e.getCause();
        } catch (IOException e) {
            throw new IOException(what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Carries a sink's own error out of a scan untouched. */
    private static final class SinkFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SinkFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** What was (or would be) done so far. */
    ExtractPlan plan() {
        return tallies.plan(index.blobSize(), index.entries().size(), needs.values());
    }
}
