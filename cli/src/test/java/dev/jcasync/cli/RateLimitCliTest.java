package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.serve.ChunkServer;
import dev.jcasync.serve.ServerOptions;
import dev.jcasync.store.LocalStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rate-limit-bps} paces what extract fetches from a remote store (casync's meaning). */
class RateLimitCliTest {
    @TempDir
    Path dir;

    @Test
    void extractFromARemoteStoreIsPacedToTheLimit() throws Exception {
        byte[] data = TestData.random(3, 800_000); // incompressible: ~800,000 bytes of chunk files
        Path input = TestData.write(dir, "in.img", data);
        Path store = dir.resolve("s.castr");
        Cli.run("make", "--store=" + store, dir.resolve("i.caibx"), input).assertOk();
        try (ChunkServer server = ChunkServer.start(
                new LocalStore(store), new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults())) {
            long start = System.nanoTime();
            Map<String, Object> j = Inspect.json(Cli.run(
                            "extract",
                            "--json",
                            "--rate-limit-bps=200K",
                            "--store=" + server.url(),
                            dir.resolve("i.caibx"),
                            dir.resolve("out"))
                    .assertOk());
            double seconds = (System.nanoTime() - start) / 1e9;
            long transferred = Inspect.number(j, "transferred_bytes");
            // One second of burst, then 200 KiB/s: at least (transferred - 200 KiB) / 200 KiB seconds.
            double least = (transferred - 204_800) / 204_800.0;
            assertTrue(transferred > 700_000, "transferred " + transferred);
            assertTrue(
                    seconds >= least * 0.95, "took " + seconds + " s for " + transferred + " bytes; at least " + least);
            assertTrue(seconds < least + 10, "took " + seconds + " s");
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }
}
