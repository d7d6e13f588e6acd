package dev.jcasync.cli;

import dev.jcasync.archive.read.CatarReader;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.cli.Values.What;
import dev.jcasync.extract.Assembler;
import dev.jcasync.extract.ExtractOptions;
import dev.jcasync.extract.ExtractReport;
import dev.jcasync.extract.IndexStream;
import dev.jcasync.index.BlobIndex;
import dev.jcasync.index.FeatureFlags;
import dev.jcasync.seed.Seed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A directory archive to read: a .catar file (or {@code -}, standard input) read directly, or a
 * .caidx whose chunks come from the stores (casync's rules: the last --store, else $CASYNC_STORE,
 * else default.castr beside it; then --extra-store) and are decoded as they arrive. Everything read
 * is also hashed, so the archive's digest (docs/catar.md 10.1) is known at the end.
 */
final class ArchiveInput implements AutoCloseable {
    final String name;
    final CatarReader reader;
    /** The raw bytes most recently read, for {@code stat} (null unless asked for). */
    final RawWindow window;

    private final Hashing hashing;
    private final AutoCloseable[] resources;
    /** The stream a .caidx's chunks were assembled into (null for a .catar). */
    private IndexStream stream;

    /** The seeds of a .caidx, made once its index (and so its feature flags) is known. */
    interface SeedSource {
        SeedSource NONE = index -> List.of();

        List<Seed> seeds(BlobIndex index) throws IOException;
    }

    private ArchiveInput(
            String name, ReadableByteChannel channel, Long indexFeatures, boolean keep, AutoCloseable... resources) {
        this.name = name;
        this.hashing = new Hashing(channel);
        this.window = keep ? new RawWindow(hashing) : null;
        ReadableByteChannel top = keep ? window : hashing;
        this.reader =
                indexFeatures == null ? new CatarReader(top, name) : CatarReader.forIndex(top, name, indexFeatures);
        this.resources = resources;
    }

    /** Whether {@code input} (with {@code --what}) names a directory archive jcasync reads: .catar or .caidx. */
    static boolean isArchive(String input, What what) {
        if (what == What.ARCHIVE || what == What.ARCHIVE_INDEX) {
            return true;
        }
        return what == null && input != null && Archives.isArchiveName(input);
    }

    private static boolean isIndex(String input, What what) {
        if (what != null) {
            return what == What.ARCHIVE_INDEX;
        }
        return input.split("[?;#]", 2)[0].toLowerCase(Locale.ROOT).endsWith(".caidx");
    }

    /** Opens {@code input}; {@code options} say how a .caidx's chunks are obtained. */
    static ArchiveInput open(String input, What what, StoreOptions store, CasyncOptions casync, ExtractOptions options)
            throws IOException {
        return open(input, what, store, casync, options, false, SeedSource.NONE);
    }

    /** As {@link #open}; with {@code keep}, the bytes the reader has not passed yet stay in {@link #window}. */
    static ArchiveInput open(
            String input, What what, StoreOptions store, CasyncOptions casync, ExtractOptions options, boolean keep)
            throws IOException {
        return open(input, what, store, casync, options, keep, SeedSource.NONE);
    }

    /** {@link #open}, with the seeds of a .caidx added to {@code options}' as {@code seeds} makes them. */
    static ArchiveInput open(
            String input, What what, StoreOptions store, CasyncOptions casync, ExtractOptions options, SeedSource seeds)
            throws IOException {
        return open(input, what, store, casync, options, false, seeds);
    }

    private static ArchiveInput open(
            String input,
            What what,
            StoreOptions store,
            CasyncOptions casync,
            ExtractOptions options,
            boolean keep,
            SeedSource seeds)
            throws IOException {
        if (!isIndex(input, what)) {
            ReadableByteChannel ch =
                    "-".equals(input) ? Channels.newChannel(System.in) : FileChannel.open(Path.of(input));
            return new ArchiveInput("-".equals(input) ? "standard input" : input, ch, null, keep, ch);
        }
        BlobIndex index = store.readIndex(input);
        OpenStores stores = CasyncStores.open(store, casync, input);
        try {
            List<Seed> all = new ArrayList<>(options.seeds());
            all.addAll(seeds.seeds(index));
            IndexStream stream = IndexStream.open(new Assembler(stores.list(), options.withSeeds(all)), index, input);
            ArchiveInput in = new ArchiveInput(input, stream, index.featureFlags(), keep, stream, stores);
            in.stream = stream;
            return in;
        } catch (IOException | RuntimeException e) {
            stores.close();
            throw e;
        }
    }

    /** Where a .caidx's chunks came from, once the archive was read to its end; null for a .catar. */
    ExtractReport report() throws IOException {
        return stream == null ? null : stream.report();
    }

    /** The digest of every byte read so far: SHA-512/256, or SHA-256 if the archive's flags say so. */
    String digestHex() {
        return hashing.hex();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                first = first == null ? new IOException(e) : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Passes reads through, hashing them with the algorithm the root ENTRY's feature word names. */
    private static final class Hashing implements ReadableByteChannel {
        private final ReadableByteChannel in;
        private final byte[] head = new byte[24];
        private int headLength;
        private MessageDigest md;

        Hashing(ReadableByteChannel in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int from = dst.position();
            int n = in.read(dst);
            if (n > 0) {
                ByteBuffer got = dst.duplicate();
                got.limit(from + n).position(from);
                while (md == null && got.hasRemaining()) {
                    head[headLength++] = got.get();
                    if (headLength == head.length) {
                        long word = ByteBuffer.wrap(head, 16, 8)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .getLong();
                        md = ((word & FeatureFlags.SHA512_256) != 0
                                        ? DigestAlgorithm.SHA512_256
                                        : DigestAlgorithm.SHA256)
                                .newDigest();
                        md.update(head);
                    }
                }
                if (md != null) {
                    md.update(got);
                }
            }
            return n;
        }

        String hex() {
            return md == null ? "" : java.util.HexFormat.of().formatHex(md.digest());
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
