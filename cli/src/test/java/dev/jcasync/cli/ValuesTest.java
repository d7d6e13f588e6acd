package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.Compression;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The option values casync accepts are accepted, spelled as casync spells them; others are not. */
class ValuesTest {
    @Test
    void booleansAsCasyncParsesThem() {
        Values.YesNo yesNo = new Values.YesNo();
        for (String yes : new String[] {"1", "yes", "YES", "y", "true", "t", "on", "On"}) {
            assertEquals(true, yesNo.convert(yes), yes);
        }
        for (String no : new String[] {"0", "no", "n", "false", "F", "off"}) {
            assertEquals(false, yesNo.convert(no), no);
        }
        for (String bad : new String[] {"", "2", "maybe", "yess", "o"}) {
            assertThrows(TypeConversionException.class, () -> yesNo.convert(bad), bad);
        }
    }

    @Test
    void sizesDigestsCompressionsAndLevels() {
        assertEquals(ChunkSizes.DEFAULT, new Values.Sizes().convert("auto"));
        assertEquals(new ChunkSizes(16384, 65536, 262144), new Values.Sizes().convert("64K"));
        assertEquals(new ChunkSizes(1024, 2048, 8192), new Values.Sizes().convert("1K:2K:8K"));
        assertEquals(DigestAlgorithm.SHA512_256, new Values.Digest().convert("default"));
        assertEquals(DigestAlgorithm.SHA256, new Values.Digest().convert("sha256"));
        assertEquals(Compression.ZSTD, new Values.Compressions().convert("default"));
        assertEquals(Compression.XZ, new Values.Compressions().convert("xz"));
        assertEquals(1_048_576L, new Values.PositiveSize().convert("1M"));
        assertThrows(TypeConversionException.class, () -> new Values.PositiveSize().convert("0"));
        assertEquals(7, new Values.LogLevels().convert("debug"));
        assertEquals(3, new Values.LogLevels().convert("err"));
        assertEquals(4, new Values.LogLevels().convert("4"));
        assertThrows(TypeConversionException.class, () -> new Values.LogLevels().convert("8"));
        assertEquals(Duration.ofMinutes(30), new Values.Durations().convert("30m"));
        assertEquals(Values.What.BLOB_INDEX, new Values.Whats().convert("blob-index"));
        assertThrows(TypeConversionException.class, () -> new Values.Whats().convert("blob_index"));
        assertThrows(TypeConversionException.class, () -> new Values.Positive().convert("0"));
    }

    @Test
    void uidShiftAndRangeAsCasync() {
        for (String ok : new String[] {"0", "1000", "0x10", " 5", "010", "yes", "no", "4294967294"}) {
            assertEquals(ok, new Values.UidShift().convert(ok));
        }
        for (String bad : new String[] {"-1", "65535", "4294967295", "abc", "0x"}) {
            assertThrows(TypeConversionException.class, () -> new Values.UidShift().convert(bad), bad);
        }
        for (String ok : new String[] {"1", "65536", "4294967296", "0x10000", "0", "off"}) {
            assertEquals(ok, new Values.UidRange().convert(ok));
        }
        for (String bad : new String[] {"4294967297", "-3", "lots"}) {
            assertThrows(TypeConversionException.class, () -> new Values.UidRange().convert(bad), bad);
        }
    }
}
