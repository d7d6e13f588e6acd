package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.serve.ChunkServer;
import dev.jcasync.serve.ServerOptions;
import dev.jcasync.store.LocalStore;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jcasync's HTTP client against jcasync's own chunk server, for reading and for uploading. */
class ServeRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void extractFromServe() throws Exception {
        byte[] data = TestData.mixed(41, 6 << 20);
        Path input = TestData.write(dir, "in.img", data);
        Path store = dir.resolve("s.castr");
        Cli.run("make", "--store=" + store, dir.resolve("i.caibx"), input).assertOk();
        try (ChunkServer server = ChunkServer.start(
                new LocalStore(store), new InetSocketAddress("127.0.0.1", 0), ServerOptions.defaults())) {
            Cli.run("extract", "--store=" + server.url(), dir.resolve("i.caibx"), dir.resolve("out"))
                    .assertOk();
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }

    @Test
    void makeUploadsThroughWritableServeExactlyAsALocalMake() throws Exception {
        byte[] data = TestData.mixed(43, 6 << 20);
        Path input = TestData.write(dir, "in.img", data);
        Path local = dir.resolve("local.castr");
        Path remote = dir.resolve("remote.castr");
        Cli.run("make", "--store=" + local, dir.resolve("local.caibx"), input).assertOk();
        ServerOptions writable = ServerOptions.defaults().withWritable("s3cret");
        try (ChunkServer server =
                ChunkServer.start(new LocalStore(remote), new InetSocketAddress("127.0.0.1", 0), writable)) {
            Cli.Run denied = Cli.run("make", "--store=" + server.url(), dir.resolve("denied.caibx"), input);
            assertEquals(1, denied.exitCode(), "upload without the token must fail");
            Cli.run(
                            "make",
                            "--store=" + server.url(),
                            "--header=Authorization: Bearer s3cret",
                            dir.resolve("remote.caibx"),
                            input)
                    .assertOk();
        }
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("local.caibx")), Files.readAllBytes(dir.resolve("remote.caibx")));
        assertEquals(
                StoreAudit.audit(local, DigestAlgorithm.SHA512_256),
                StoreAudit.audit(remote, DigestAlgorithm.SHA512_256),
                "the served store holds exactly the chunks a local make stores");
        Cli.run("extract", "--store=" + remote, dir.resolve("remote.caibx"), dir.resolve("out"))
                .assertOk();
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out")));
    }
}
