package dev.jcasync.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/format.md 2.2 and 2.3. */
class ChunkSizesTest {
    /** The examples table of docs/format.md 2.2 (the fixed-size row is {@link #fixedSizeMode}). */
    @ParameterizedTest(name = "--chunk-size={0}")
    @CsvSource({
        "auto,            16384,    65536,   262144,    49535",
        "64,                 16,       64,      256,       48",
        "100,                25,      100,      400,       75",
        "16K,              4096,    16384,    65536,    12318",
        "1K:2K:8K,         1024,     2048,     8192,     1537",
        "4K:8K:64K,        4096,     8192,    65536,     6153",
        "4096:4096:16384,  4096,     4096,    16384,     4096", // clamped up from 3075
        "60000:64K:256K,  60000,    65536,   262144,    60000", // clamped up from 49535
        "256K,            65536,   262144,  1048576,   202440",
        "1M,             262144,  1048576,  4194304,   886711",
        "8M,            2097152,  8388608, 33554432, 33554432", // clamped down from 62724856
        "12M,           3145728, 12582912, 50331648, 50331648", // denominator negative
    })
    void examplesTable(String spec, int min, int avg, int max, int discriminator) {
        ChunkSizes sizes = ChunkSizes.parse(spec);
        assertEquals(new ChunkSizes(min, avg, max), sizes);
        assertEquals(discriminator, sizes.discriminator());
        assertFalse(sizes.isFixed());
        assertEquals(sizes, ChunkSizes.parse(sizes.toString()), "toString() parses back");
    }

    @Test
    void absentMeansDefault() {
        assertEquals(ChunkSizes.DEFAULT, ChunkSizes.parse(null));
        assertEquals(new ChunkSizes(16384, 65536, 262144), ChunkSizes.DEFAULT);
        assertEquals(49535, ChunkSizes.DEFAULT.discriminator());
    }

    @Test
    void fixedSizeMode() {
        ChunkSizes sizes = ChunkSizes.parse("64K:64K:64K");
        assertEquals(new ChunkSizes(65536, 65536, 65536), sizes);
        assertTrue(sizes.isFixed());
    }

    @Test
    void singleValueClampsAtLimits() {
        assertEquals(new ChunkSizes(1, 1, 4), ChunkSizes.parse("1"));
        assertEquals(new ChunkSizes(1, 3, 12), ChunkSizes.parse("3"));
        assertEquals(new ChunkSizes(16 << 20, 64 << 20, ChunkSizes.LIMIT), ChunkSizes.parse("64M"));
        assertEquals(new ChunkSizes(32 << 20, ChunkSizes.LIMIT, ChunkSizes.LIMIT), ChunkSizes.parse("128M"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {"0", "1:2", "4:2:8", "abc", "200M", "", "1:2:3:4", "0:1:2", "1:2:129M", "-1", "K", "1.5.K", "16X"
            })
    void invalidSpecsAreRejected(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChunkSizes.parse(spec));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "needs a message");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"16K, 16384", "1.5K, 1536", "8B, 8", "4096, 4096", "1M, 1048576", "2G, 2147483648", "1T, 1099511627776"
    })
    void sizeSuffixes(String text, long bytes) {
        assertEquals(bytes, ChunkSizes.parseSize(text));
    }

    @Test
    void fractionalSpec() {
        assertEquals(new ChunkSizes(384, 1536, 6144), ChunkSizes.parse("1.5K"));
    }

    @Test
    void constructorAndHeaderValuesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizes(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizes(2, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizes(1, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizes(1, 1, ChunkSizes.LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> ChunkSizes.of(1, 1, (long) ChunkSizes.LIMIT + 1));
        assertThrows(
                IllegalArgumentException.class, () -> ChunkSizes.of(-1, 1, 1), "2^64-1 as an unsigned header value");
        assertThrows(
                IllegalArgumentException.class,
                () -> ChunkSizes.of(1L << 32, 1L << 32, 1L << 32),
                "must not wrap to int");
        assertEquals(
                new ChunkSizes(1, ChunkSizes.LIMIT, ChunkSizes.LIMIT),
                ChunkSizes.of(1, ChunkSizes.LIMIT, ChunkSizes.LIMIT));
    }
}
