package dev.jcasync.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/format.md 3.1 and 3.2. */
class BuzhashTest {
    /** The window 0x00, 0x01, ..., 0x2F at offset {@code from} of a larger array. */
    private static byte[] ascendingWindowAt(int from, int extra) {
        byte[] data = new byte[from + Buzhash.WINDOW + extra];
        for (int i = 0; i <= Buzhash.WINDOW; i++) {
            if (from + i < data.length) {
                data[from + i] = (byte) i;
            }
        }
        return data;
    }

    @Test
    void fortyEightZeros() {
        int h = Buzhash.hash(new byte[Buzhash.WINDOW], 0);
        assertEquals(0x9E489E48, h);
        assertEquals(
                37425, Integer.remainderUnsigned(h, 49535), "all-zero data never matches the default discriminator");
    }

    @Test
    void ascendingBytes() {
        assertEquals(0x6B67DEC6, Buzhash.hash(ascendingWindowAt(0, 0), 0));
        assertEquals(0x6B67DEC6, Buzhash.hash(ascendingWindowAt(5, 7), 5), "hash reads from the given offset");
    }

    @Test
    void rollOneByte() {
        byte[] data = ascendingWindowAt(0, 1); // 0x00 .. 0x30
        int rolled = Buzhash.roll(0x6B67DEC6, (byte) 0x00, (byte) 0x30);
        assertEquals(0xA3FC25F1, rolled);
        assertEquals(0xA3FC25F1, Buzhash.hash(data, 1));
    }

    @Test
    void rollingEqualsHashFromScratchEverywhere() {
        byte[] data = new byte[20_000];
        new Random(1).nextBytes(data);
        int h = Buzhash.hash(data, 0);
        for (int from = 1; from + Buzhash.WINDOW <= data.length; from++) {
            h = Buzhash.roll(h, data[from - 1], data[from + Buzhash.WINDOW - 1]);
            assertEquals(Buzhash.hash(data, from), h, "at offset " + from);
        }
    }

    @Test
    void hashMatchesTheXorDefinition() {
        Random random = new Random(2);
        byte[] data = new byte[4096];
        random.nextBytes(data);
        for (int i = 0; i < 500; i++) {
            int from = random.nextInt(data.length - Buzhash.WINDOW + 1);
            assertEquals(ReferenceChunker.hash(data, from), Buzhash.hash(data, from), "at offset " + from);
        }
    }

    @Test
    void tableDigest() throws Exception {
        ByteBuffer serialized = ByteBuffer.allocate(256 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int entry : Buzhash.TABLE) {
            serialized.putInt(entry);
        }
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(serialized.array());
        assertEquals(
                "5b52080d38287da9d2e278466e3e0db7ec98e5e8b226f50612a56fa012b1f660",
                HexFormat.of().formatHex(sha));
    }
}
