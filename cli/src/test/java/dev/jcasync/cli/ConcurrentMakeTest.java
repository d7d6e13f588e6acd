package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcasync.chunker.ChunkId;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.index.IndexEntry;
import dev.jcasync.index.IndexReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several make processes writing the same store at once leave a valid store with every chunk. */
class ConcurrentMakeTest {
    @Test
    void parallelMakesIntoOneStore(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("shared.castr");
        // Overlapping inputs: the same base with different edits, so the processes race on the same chunks.
        byte[] base = TestData.mixed(21, 12 << 20);
        List<byte[]> inputs = new ArrayList<>();
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] data = base.clone();
            data[(i + 1) * 1_000_003] ^= 0x55;
            inputs.add(data);
            Path in = TestData.write(dir, "in" + i + ".bin", data);
            procs.add(Cli.start(null, "make", "--store=" + store, dir.resolve("i" + i + ".caibx"), in));
        }
        for (Process p : procs) {
            Cli.finish(p).assertOk();
        }
        Set<ChunkId> inStore = StoreAudit.audit(store, DigestAlgorithm.SHA512_256);
        Set<ChunkId> referenced = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (IndexEntry e :
                    IndexReader.read(dir.resolve("i" + i + ".caibx")).entries()) {
                referenced.add(e.id());
            }
            Path out = dir.resolve("out" + i);
            Cli.run("extract", "--store=" + store, dir.resolve("i" + i + ".caibx"), out)
                    .assertOk();
            assertArrayEquals(inputs.get(i), Files.readAllBytes(out));
        }
        assertEquals(referenced, inStore, "store holds exactly the referenced chunks");
    }

    @Test
    void standardInputGivesTheSameIndexAsTheFile(@TempDir Path dir) throws Exception {
        Path in = TestData.write(dir, "in.bin", TestData.mixed(4, 5 << 20));
        Cli.run("make", "--store=" + dir.resolve("a.castr"), dir.resolve("file.caibx"), in)
                .assertOk();
        Cli.Run run =
                Cli.finish(Cli.start(in, "make", "--store=" + dir.resolve("b.castr"), dir.resolve("stdin.caibx"), "-"));
        run.assertOk();
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("file.caibx")), Files.readAllBytes(dir.resolve("stdin.caibx")));
    }
}
