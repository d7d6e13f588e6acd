package dev.jcasync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.testsupport.TestData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkLayoutTest {
    private static final ChunkId ID = DigestAlgorithm.SHA512_256.digest(TestData.random(1, 1000));
    private static final String HEX = ID.toHex();

    @Test
    void namesAsCasyncDoes() {
        assertEquals(HEX + ".cacnk", ChunkLayout.fileName(ID, true));
        assertEquals(HEX, ChunkLayout.fileName(ID, false));
        assertEquals(HEX.substring(0, 4) + "/" + HEX + ".cacnk", ChunkLayout.path(ID, true));
        assertEquals(HEX.substring(0, 4) + "/" + HEX, ChunkLayout.path(ID, false));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void parseRoundTrip(boolean compressed) {
        StoreFile f = ChunkLayout.parse(ChunkLayout.path(ID, compressed));
        assertEquals(new StoreFile(ChunkLayout.path(ID, compressed), ID, compressed), f);
        assertFalse(f.misplaced());
    }

    @Test
    void aFileInAnotherPrefixDirectoryIsMisplaced() {
        String other = HEX.startsWith("0000") ? "ffff" : "0000";
        StoreFile f = ChunkLayout.parse(other + "/" + HEX + ".cacnk");
        assertEquals(ID, f.id());
        assertTrue(f.compressed());
        assertTrue(f.misplaced());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abcd", "abcd/", "ABCD/x", "abc/def", "abcde/x", "zzzz/x", "../etc/passwd", "/abcd/x"})
    void rejectsWhatIsNotAChunkFile(String name) {
        assertNull(ChunkLayout.parse(name));
    }

    @Test
    void rejectsBadChunkNames() {
        String prefix = HEX.substring(0, 4) + "/";
        assertNull(ChunkLayout.parse(prefix + HEX.toUpperCase()), "ids are lowercase");
        assertNull(ChunkLayout.parse(prefix + HEX.substring(1)), "too short");
        assertNull(ChunkLayout.parse(prefix + HEX + ".cacnk.tmp"));
        assertNull(ChunkLayout.parse(prefix + HEX + ".caibx"));
        assertNull(ChunkLayout.parse(prefix + "/" + HEX));
        assertNull(ChunkLayout.parse(prefix + HEX.substring(0, 4) + "/" + HEX), "one directory level only");
    }

    @Test
    void temporaryNames() {
        String temp = ChunkLayout.tempName(HEX + ".cacnk");
        assertTrue(temp.matches(HEX + "\\.[0-9a-f]+\\.tmp"), temp);
        assertNotEquals(temp, ChunkLayout.tempName(HEX + ".cacnk"), "fresh each time");
        assertTrue(ChunkLayout.tempName(HEX).startsWith(HEX + "."));
        assertTrue(ChunkLayout.isTempName(temp));
        assertTrue(ChunkLayout.isTempName(".tmp-cacnk123456"), "desync's");
        assertFalse(ChunkLayout.isTempName(HEX + ".cacnk"));
        assertNull(ChunkLayout.parse(HEX.substring(0, 4) + "/" + temp), "a temporary file is no chunk file");
    }

    @Test
    void localStoreAndLayoutAgree() {
        LocalStore store = new LocalStore(Path.of("/s.castr"));
        assertEquals(Path.of("/s.castr").resolve(ChunkLayout.path(ID, true)), store.compressedPath(ID));
        assertEquals(Path.of("/s.castr").resolve(ChunkLayout.path(ID, false)), store.rawPath(ID));
        StoreFile f = ChunkLayout.parse(ChunkLayout.path(ID, true));
        assertEquals(store.compressedPath(ID), store.path(f));
    }
}
