package dev.jcasync.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jcasync.chunker.ChunkId;
import dev.jcasync.store.ChunkLayout;
import dev.jcasync.store.LocalStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzz targets for the chunk server's request-path parsers (docs/fuzzing.md). A path that is
 * accepted names exactly one file directly in its place in the store, and is exactly the name
 * {@link ChunkLayout} gives that chunk (or the index's own name): no escapes, no dot segments, no
 * second spelling. Conversely every chunk's own name is accepted. The input is the raw request
 * path as UTF-8 (NUL, backslashes, percent escapes and all).
 */
class RequestPathFuzzTest {
    private static final Path ROOT = Path.of("/srv/store");
    private static final LocalStore STORE = new LocalStore(ROOT);

    @FuzzTest(maxDuration = "30s")
    void chunkPath(byte[] input) {
        String raw = new String(input, StandardCharsets.UTF_8);
        Optional<ChunkPath> parsed = ChunkPath.parse(raw);
        if (parsed.isPresent()) {
            ChunkPath chunk = parsed.get();
            assertEquals(raw, "/" + ChunkLayout.path(chunk.id(), chunk.compressed()), "re-renders to itself");
            Path file = chunk.file(STORE);
            assertEquals(file, file.normalize());
            assertEquals(ROOT.resolve(chunk.id().prefix()), file.getParent(), "in the id's prefix directory");
            assertEquals(
                    ChunkLayout.fileName(chunk.id(), chunk.compressed()),
                    file.getFileName().toString());
            assertPlain(raw);
        }
        // Every chunk's own name is accepted, raw and compressed: here, the id made of the input's bytes.
        ChunkId id = ChunkId.of(Arrays.copyOf(input, ChunkId.LENGTH));
        for (boolean compressed : new boolean[] {false, true}) {
            Optional<ChunkPath> own = ChunkPath.parse("/" + ChunkLayout.path(id, compressed));
            assertEquals(Optional.of(new ChunkPath(id, compressed)), own);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void indexPath(byte[] input) {
        String raw = new String(input, StandardCharsets.UTF_8);
        Optional<IndexPath> parsed = IndexPath.parse(raw);
        if (parsed.isEmpty()) {
            return;
        }
        String name = parsed.get().name();
        assertEquals(raw, "/" + name, "re-renders to itself");
        assertTrue(name.endsWith(".caibx") || name.endsWith(".caidx"), name);
        assertFalse(name.startsWith("."), "no dot files, no dot segments");
        assertTrue(name.length() <= 207, "a bounded name");
        Path file = parsed.get().file(ROOT);
        assertEquals(file, file.normalize());
        assertEquals(ROOT, file.getParent(), "directly in the store's top directory");
        assertEquals(name, file.getFileName().toString());
        assertFalse(ChunkPath.parse(raw).isPresent(), "never both a chunk and an index");
        assertPlain(raw);
    }

    /** Nothing that a file system, a proxy or a decoder could read as another name. */
    private static void assertPlain(String raw) {
        for (String bad : new String[] {"//", "\\", "%", "\0", "?", "#", ";"}) {
            assertFalse(raw.contains(bad), () -> "accepted " + bad + " in " + raw);
        }
        for (String segment : raw.substring(1).split("/", -1)) {
            assertFalse(segment.isEmpty() || segment.equals(".") || segment.equals(".."), raw);
        }
        assertTrue(raw.chars().allMatch(c -> c > 0x20 && c < 0x7f), "printable ASCII only");
    }
}
