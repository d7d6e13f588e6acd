package dev.jcasync.serve;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.ChunkCodec;
import dev.jcasync.store.Compression;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.SingleXZInputStream;

/**
 * Decides whether an uploaded chunk file really holds the chunk it claims to, while it is
 * received: the body is copied to a file (to be renamed into place only if it passes) and, in the
 * same pass, decoded and hashed. Memory stays bounded whatever the body claims: the body is never
 * held whole, the decoded data is only hashed, and decoding stops as soon as it exceeds the chunk
 * size limit (a decompression bomb costs no more than reading its first bytes past the limit).
 * Decoders' own memory is bounded too: zstd windows up to 16 MiB, xz dictionaries up to 16 MiB,
 * lz4 blocks up to 4 MiB (every chunk casync, desync and jcasync write fits).
 *
 * <p>The same rules as {@code ChunkCodec.decode} and {@code ChunkVerifier.anyDigest()}: exactly
 * one stream in a known format, nothing after it, 1 to 128 MiB of data that hashes to the id by
 * SHA-512/256 or SHA-256 (the server does not know which digest the uploader's index uses).
 */
final class UploadCheck {
    /** zstd frames needing a larger window are refused (casync's level 3 uses 2 MiB, desync's 8 MiB). */
    static final int ZSTD_WINDOW_LOG_MAX = 24;
    /** xz streams needing more decoder memory are refused: the same limit as for reading chunk files. */
    static final int XZ_MEMORY_LIMIT_KIB = ChunkCodec.XZ_MEMORY_LIMIT_KIB;

    private static final int BUFFER = 64 << 10;

    /** The body was larger than uploads may be. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("chunk file larger than " + limit + " bytes");
        }
    }

    /** The body is not the chunk (the message says why, for the client). */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private UploadCheck() {}

    /**
     * Reads {@code body} to its end into {@code out} and checks that it is chunk {@code id}.
     *
     * @return why it is not chunk {@code id}, or empty if it is
     * @throws TooLarge if the body exceeds {@code maxFileBytes} (reading stops there)
     * @throws IOException if reading the body or writing {@code out} fails
     */
    static Optional<String> receive(
            InputStream body, FileChannel out, ChunkId id, boolean compressed, long maxFileBytes, long maxChunkBytes)
            throws IOException {
        Tee tee = new Tee(body, out, maxFileBytes);
        BufferedInputStream in = new BufferedInputStream(tee, BUFFER);
        Hashes hashes = new Hashes(maxChunkBytes);
        try {
            if (!compressed) {
                copy(in, hashes);
            } else {
                in.mark(8);
                byte[] magic = in.readNBytes(6);
                in.reset();
                Compression format = Compression.detect(magic);
                if (format == null) {
                    throw new Refused("not a valid chunk file: not a zstd, xz, gzip or lz4 stream");
                }
                switch (format) {
                    case ZSTD -> zstd(in, hashes);
                    case GZIP -> gzip(in, hashes);
                    case XZ -> {
                        try {
                            copy(new SingleXZInputStream(in, XZ_MEMORY_LIMIT_KIB), hashes);
                        } catch (MemoryLimitException e) {
                            throw new Refused("not a valid chunk file: xz stream needs more than "
                                    + XZ_MEMORY_LIMIT_KIB / 1024 + " MiB to decode");
                        }
                        endOfBody(in, "xz stream");
                    }
                    case LZ4 -> {
                        try {
                            copy(new LZ4FrameInputStream(in, true), hashes);
                        } catch (RuntimeException e) {
                            // lz4-java reports malformed blocks with unchecked exceptions.
                            throw new Refused("not a valid chunk file: lz4: " + e.getMessage());
                        }
                        endOfBody(in, "lz4 frame");
                    }
                    default -> throw new AssertionError(format);
                }
            }
            return hashes.problem(id);
        } catch (Refused e) {
            return Optional.of(e.getMessage());
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            if (tee.failure != null) {
                throw tee.failure; // the body or the file, not the content
            }
            // A decoder's complaint about the content.
            return Optional.of("not a valid chunk file: " + e.getMessage());
        }
    }

    private static void copy(InputStream in, Hashes hashes) throws IOException, Refused {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) > 0) {
            hashes.update(buffer, 0, n);
        }
    }

    private static void endOfBody(InputStream in, String what) throws IOException, Refused {
        if (in.read() >= 0) {
            throw new Refused("not a valid chunk file: data after the end of the " + what);
        }
    }

    private static void zstd(InputStream in, Hashes hashes) throws IOException, Refused {
        try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
            ctx.setLongMax(ZSTD_WINDOW_LOG_MAX);
            ByteBuffer src = ByteBuffer.allocateDirect(BUFFER);
            ByteBuffer dst = ByteBuffer.allocateDirect(BUFFER);
            byte[] heap = new byte[BUFFER];
            src.limit(0);
            boolean frameDone = false;
            while (true) {
                dst.clear();
                int consumedBefore = src.position();
                boolean done;
                try {
                    done = ctx.decompressDirectByteBufferStream(dst, src);
                } catch (ZstdException e) {
                    throw new Refused("not a valid chunk file: zstd: " + e.getMessage());
                }
                dst.flip();
                int produced = dst.remaining();
                boolean progress = produced > 0 || src.position() != consumedBefore;
                // True only when a frame has just been decoded and flushed; a call that did nothing
                // (after the end, waiting for input) says nothing about that frame.
                if (done) {
                    frameDone = true;
                } else if (progress) {
                    frameDone = false;
                }
                if (produced > 0) {
                    dst.get(heap, 0, produced);
                    hashes.update(heap, 0, produced);
                    continue; // more output may be waiting: ask again before reading on
                }
                if (src.hasRemaining()) {
                    if (!progress) {
                        throw new Refused("not a valid chunk file: zstd: no progress");
                    }
                    continue;
                }
                int n = in.read(heap);
                if (n < 0) {
                    break;
                }
                src.clear();
                src.put(heap, 0, n).flip();
            }
            if (!frameDone) {
                throw new Refused("not a valid chunk file: truncated zstd stream");
            }
        }
    }

    /** One gzip member and nothing after it, as {@code GzipDecoder} decodes it, but streaming. */
    private static void gzip(BufferedInputStream in, Hashes hashes) throws IOException, Refused {
        byte[] header = in.readNBytes(10);
        if (header.length < 10 || (header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || header[2] != 8) {
            throw new Refused("not a valid chunk file: not a gzip (deflate) stream");
        }
        int flags = header[3] & 0xff;
        if ((flags & 4) != 0) { // FEXTRA
            byte[] len = in.readNBytes(2);
            if (len.length < 2) {
                throw new Refused("not a valid chunk file: truncated gzip header");
            }
            skip(in, (len[0] & 0xff) | (len[1] & 0xff) << 8);
        }
        for (int flag : new int[] {8, 16}) { // FNAME, FCOMMENT: zero-terminated
            if ((flags & flag) != 0) {
                int b;
                while ((b = in.read()) > 0) {
                    // skip
                }
                if (b < 0) {
                    throw new Refused("not a valid chunk file: truncated gzip header");
                }
            }
        }
        if ((flags & 2) != 0) { // FHCRC
            skip(in, 2);
        }
        Inflater inflater = new Inflater(true);
        CRC32 crc = new CRC32();
        long size = 0;
        byte[] input = new byte[BUFFER];
        byte[] output = new byte[BUFFER];
        int inputLength = 0;
        int remaining;
        try {
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    inputLength = in.read(input);
                    if (inputLength < 0) {
                        throw new Refused("not a valid chunk file: truncated gzip stream");
                    }
                    inflater.setInput(input, 0, inputLength);
                }
                int n = inflater.inflate(output);
                if (n == 0 && inflater.needsDictionary()) {
                    throw new Refused("not a valid chunk file: gzip stream needs a dictionary");
                }
                crc.update(output, 0, n);
                size += n;
                hashes.update(output, 0, n);
            }
            remaining = inflater.getRemaining(); // input after the deflate data: the trailer, and anything after it
        } catch (DataFormatException e) {
            throw new Refused("not a valid chunk file: gzip: " + e.getMessage());
        } finally {
            inflater.end();
        }
        InputStream rest =
                new SequenceInputStream(new ByteArrayInputStream(input, inputLength - remaining, remaining), in);
        byte[] trailer = rest.readNBytes(8);
        if (trailer.length < 8) {
            throw new Refused("not a valid chunk file: truncated gzip trailer");
        }
        if (rest.read() >= 0) {
            throw new Refused("not a valid chunk file: data after the end of the gzip stream");
        }
        if ((int) crc.getValue() != le32(trailer, 0) || (int) size != le32(trailer, 4)) {
            throw new Refused("not a valid chunk file: gzip checksum or length mismatch");
        }
    }

    private static void skip(InputStream in, int n) throws IOException, Refused {
        if (in.readNBytes(n).length < n) {
            throw new Refused("not a valid chunk file: truncated gzip header");
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    /** Both digests of the decoded data, and its size, refused beyond the limit. */
    private static final class Hashes {
        private final long limit;
        private final MessageDigest[] digests;
        private long size;

        Hashes(long limit) {
            this.limit = limit;
            DigestAlgorithm[] algorithms = DigestAlgorithm.values();
            this.digests = new MessageDigest[algorithms.length];
            for (int i = 0; i < algorithms.length; i++) {
                digests[i] = algorithms[i].newDigest();
            }
        }

        void update(byte[] data, int offset, int length) throws Refused {
            size += length;
            if (size > limit) {
                throw new Refused("not a valid chunk file: decompressed data exceeds " + limit + " bytes");
            }
            for (MessageDigest digest : digests) {
                digest.update(data, offset, length);
            }
        }

        Optional<String> problem(ChunkId id) {
            if (size == 0) {
                return Optional.of("chunk data must be 1 to " + limit + " bytes, got 0");
            }
            for (MessageDigest digest : digests) {
                if (ChunkId.of(digest.digest()).equals(id)) {
                    return Optional.empty();
                }
            }
            return Optional.of("content does not hash to " + id + " (sha512-256 or sha256)");
        }
    }

    /** The body, copied to the file as it is read and counted against the limit. */
    private static final class Tee extends InputStream {
        private final InputStream body;
        private final FileChannel out;
        private final long limit;
        private long count;
        /** A failure of the body or the file (not of the content), so it is not blamed on the uploader. */
        IOException failure;

        Tee(InputStream body, FileChannel out, long limit) {
            this.body = body;
            this.out = out;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = body.read(b, off, len);
                if (n <= 0) {
                    return n;
                }
                count += n;
                if (count > limit) {
                    throw new TooLarge(limit);
                }
                ByteBuffer buffer = ByteBuffer.wrap(b, off, n);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                return n;
            } catch (TooLarge e) {
                throw e;
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
