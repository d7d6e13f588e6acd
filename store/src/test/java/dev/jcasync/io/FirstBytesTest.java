package dev.jcasync.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FirstBytesTest {
    private static byte[] readAll(ReadableByteChannel in, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(bufferSize);
        while (in.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        assertEquals(-1, in.read(buf), "stays at its end");
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 4096, 100_000})
    void readsExactlyTheLimitWhateverTheBufferSize(int bufferSize) throws IOException {
        byte[] data = new byte[50_000];
        new Random(1).nextBytes(data);
        for (long limit : new long[] {0, 1, 4095, 4096, 12_345, 49_999, 50_000, 50_001, Long.MAX_VALUE}) {
            ReadableByteChannel in = new FirstBytes(Channels.newChannel(new ByteArrayInputStream(data)), limit);
            assertArrayEquals(
                    Arrays.copyOf(data, (int) Math.min(limit, data.length)), readAll(in, bufferSize), "limit " + limit);
        }
    }
}
