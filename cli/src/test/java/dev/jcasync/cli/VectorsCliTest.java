package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.vectors.Vectors;
import dev.jcasync.vectors.Vectors.VectorCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every casync vector through the command line, as a user would run it. */
class VectorsCliTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void makeWritesCasyncsIndexAndChunkList(VectorCase c, @TempDir Path dir) throws Exception {
        Path input = Files.write(dir.resolve("input.bin"), Vectors.input(c));
        Path index = dir.resolve("index.caibx");
        Path store = dir.resolve("store.castr");
        // The very arguments casync was given for this case.
        Cli.Run run = Cli.run(concat(
                        List.of("make", "--store=" + store),
                        c.casyncArgs(),
                        List.of(index.toString(), input.toString())))
                .assertOk();

        assertEquals(c.blobDigest(), run.out().strip(), "printed digest");
        assertArrayEquals(Files.readAllBytes(Vectors.indexFile(c)), Files.readAllBytes(index), "index bytes");
        List<String> expected = c.chunks().stream()
                .map(e -> e.offset() + " " + e.size() + " " + e.id().toHex())
                .toList();
        assertEquals(expected, Cli.run("list", index).assertOk().out().lines().toList(), "chunk list");
        Set<ChunkId> ids = c.chunks().stream().map(IndexEntry::id).collect(Collectors.toSet());
        assertEquals(
                ids,
                c.chunks().isEmpty() && !Files.exists(store) ? Set.of() : StoreAudit.audit(store, c.digest()),
                "store holds exactly the distinct chunks");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jcasync.vectors.Vectors#cases")
    void extractFromCasyncsStore(VectorCase c, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.bin");
        Cli.run("extract", "--store=" + Vectors.storeDir(c), Vectors.indexFile(c), out)
                .assertOk();
        assertArrayEquals(Vectors.input(c), Files.readAllBytes(out));
        assertEquals(
                c.blobDigest(),
                Cli.run("digest", "--digest=" + c.digest().cliName(), out)
                        .assertOk()
                        .out()
                        .strip());
    }

    @SafeVarargs
    @SuppressWarnings("varargs") // the lists are only read
    private static Object[] concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toArray();
    }
}
