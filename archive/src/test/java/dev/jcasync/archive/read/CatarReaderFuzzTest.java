package dev.jcasync.archive.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;

/**
 * Fuzz target for the catar reader (docs/fuzzing.md). Arbitrary bytes either read as a whole
 * archive or fail with {@link CatarFormatException} (any other exception or error is a finding).
 * Directories balance, nothing is read past the input, every event consumes input (no loops), and
 * heap follows the input's length, not the sizes its records claim.
 */
class CatarReaderFuzzTest {
    /** The reader's buffer, a node's metadata limit and room for the events: what any input may cost. */
    private static final long SLACK = CatarReader.MAX_META_BYTES + (2L << 20);

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) throws IOException {
        readAll(data); // the first time may load and initialise classes: measure the second
        long before = THREADS.getCurrentThreadAllocatedBytes();
        readAll(data);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long bound = 64L * data.length + SLACK;
        assertTrue(allocated <= bound, data.length + " bytes allocated " + allocated + " > " + bound);
    }

    private static void readAll(byte[] data) throws IOException {
        CatarReader reader = new CatarReader(Channels.newChannel(new ByteArrayInputStream(data)), "fuzz.catar");
        int depth = 0;
        long events = 0;
        long payload = 0;
        try {
            for (CatarEvent e = reader.next(); e != null; e = reader.next()) {
                // Every ENTER or NODE reads an ENTRY record, every LEAVE a GOODBYE: at least 16 bytes each.
                events++;
                assertTrue(events <= data.length / 16, "more events than records could fit");
                assertTrue(reader.position() <= data.length, "read past the input");
                switch (e.type()) {
                    case ENTER -> depth++;
                    case LEAVE -> depth--;
                    case NODE -> {
                        if (e.node().payloadSize() > 0) {
                            long n = reader.payload().transferTo(OutputStream.nullOutputStream());
                            assertEquals(e.node().payloadSize(), n, "a payload is read whole or fails");
                            payload += n;
                        }
                    }
                }
                assertTrue(depth >= 0 && depth <= CatarReader.MAX_DEPTH, "depth " + depth);
            }
            assertEquals(0, depth, "a complete archive closes every directory");
            assertEquals(data.length, reader.position(), "a complete archive is the whole input");
            assertTrue(payload < data.length);
        } catch (CatarFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.catar: at offset "), e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= data.length, "offset " + e.offset());
        }
    }
}
