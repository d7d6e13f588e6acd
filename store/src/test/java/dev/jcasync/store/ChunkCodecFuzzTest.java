package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Fuzz targets for the chunk decoders, one per format (docs/fuzzing.md). Each input is a chunk
 * file in that format (its magic is put in front when missing). Decoding either returns at most
 * the cap or fails with an {@link IOException}; any other exception or error is a finding. What
 * decodes must decode the same with its exact size given, fail with one byte less, and survive a
 * round trip through the encoder. Decoding with a small expected size allocates a bounded amount
 * of heap, whatever sizes the stream's header claims (bombs, huge dictionaries or windows).
 */
class ChunkCodecFuzzTest {
    /** The expected size for the bounded-memory check: far below any bomb's claim. */
    private static final int SMALL = 4096;
    /** Heap a decoder may use beyond its output: buffers and tables, not anything a header claims. */
    private static final long DECODER_SLACK = 1L << 20;
    /** lz4 frames size their two block buffers by the header's block size indicator, at most 4 MiB. */
    private static final long LZ4_SLACK = (8L << 20) + DECODER_SLACK;
    /** An xz decoder allocates its dictionary, up to the codec's memory limit. */
    private static final long XZ_SLACK = ChunkCodec.XZ_MEMORY_LIMIT_KIB * 1024L + DECODER_SLACK;
    /** The cap for decoding without a known size: a bomb costs no more than this (128 MiB in production). */
    private static final int CAP = 1 << 20;
    /** The most any of the formats expands per input byte (zstd's RLE blocks: 128 KiB from 4 bytes). */
    private static final long MAX_RATIO = 32768;
    /** Inputs this short are decoded with the production cap too: whatever they claim, they hold little. */
    private static final int TINY = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "30s")
    void zstd(byte[] input) throws IOException {
        check(new ChunkFile(withMagic(Compression.ZSTD, input), true), Compression.ZSTD, DECODER_SLACK);
    }

    @FuzzTest(maxDuration = "30s")
    void xz(byte[] input) throws IOException {
        check(new ChunkFile(withMagic(Compression.XZ, input), true), Compression.XZ, XZ_SLACK);
    }

    @FuzzTest(maxDuration = "30s")
    void gzip(byte[] input) throws IOException {
        check(new ChunkFile(withMagic(Compression.GZIP, input), true), Compression.GZIP, DECODER_SLACK);
    }

    @FuzzTest(maxDuration = "30s")
    void lz4(byte[] input) throws IOException {
        check(new ChunkFile(withMagic(Compression.LZ4, input), true), Compression.LZ4, LZ4_SLACK);
    }

    @FuzzTest(maxDuration = "30s")
    void raw(byte[] input) throws IOException {
        check(new ChunkFile(input, false), Compression.NONE, DECODER_SLACK);
    }

    private static void check(ChunkFile file, Compression format, long slack) throws IOException {
        int inLength = file.bytes().length;
        decodeOrNull(file, SMALL); // the first time may load and initialise classes: measure the second
        long before = THREADS.getCurrentThreadAllocatedBytes();
        byte[] small = decodeOrNull(file, SMALL);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // The output (and one copy of it), a few times the input (stream buffers), a constant.
        long bound = 2L * SMALL + 4L * inLength + slack;
        assertTrue(allocated <= bound, "decoding to " + SMALL + " bytes allocated " + allocated + " > " + bound);
        if (small != null) {
            assertTrue(small.length == SMALL);
        }

        if (inLength <= TINY) {
            // The production path with the 128 MiB cap: a header's claims must not be allocated.
            decodeOrNull(file, -1);
            before = THREADS.getCurrentThreadAllocatedBytes();
            byte[] any = decodeOrNull(file, -1);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            bound = 2 * MAX_RATIO * inLength + slack;
            assertTrue(allocated <= bound, inLength + " bytes allocated " + allocated + " > " + bound);
            assertTrue(any == null || any.length <= MAX_RATIO * inLength);
        }

        byte[] whole;
        try {
            whole = ChunkCodec.decodeUpTo(file, CAP, false);
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "an error says what is wrong: " + e);
            return;
        }
        assertTrue(whole.length <= CAP, "within the cap");
        if (small != null || whole.length == SMALL) {
            assertArrayEquals(whole, small, "the exact-size decoder agrees");
        }
        if (whole.length != SMALL) {
            assertArrayEquals(whole, ChunkCodec.decode(file, whole.length), "the exact-size decoder agrees");
        }
        if (whole.length > 0) {
            assertThrows(IOException.class, () -> ChunkCodec.decode(file, whole.length - 1));
        }
        assertArrayEquals(whole, ChunkCodec.decode(file, -1), "the same with the production cap");
        // (xz's encoder allocates about 90 MiB per call: too slow to run for every input.)
        if (whole.length <= 64 << 10 && format != Compression.XZ) {
            ChunkFile again = ChunkCodec.encode(whole, 0, whole.length, format);
            assertArrayEquals(whole, ChunkCodec.decode(again, whole.length), "round trip");
        }
    }

    private static byte[] decodeOrNull(ChunkFile file, int expectedSize) {
        try {
            return ChunkCodec.decode(file, expectedSize);
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "an error says what is wrong: " + e);
            return null;
        }
    }

    /** The input as a file of {@code format}: its magic in front unless it is there already. */
    private static byte[] withMagic(Compression format, byte[] input) {
        byte[] magic = switch (format) {
            case ZSTD -> new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
            case XZ -> new byte[] {(byte) 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00};
            case GZIP -> new byte[] {0x1F, (byte) 0x8B};
            case LZ4 -> new byte[] {0x04, 0x22, 0x4D, 0x18};
            case NONE -> new byte[0];
        };
        if (input.length >= magic.length && Arrays.equals(input, 0, magic.length, magic, 0, magic.length)) {
            return input;
        }
        byte[] out = Arrays.copyOf(magic, magic.length + input.length);
        System.arraycopy(input, 0, out, magic.length, input.length);
        return out;
    }
}
