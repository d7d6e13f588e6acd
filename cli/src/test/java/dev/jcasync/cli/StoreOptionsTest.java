package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store options: bad values are usage errors (exit 2) whatever the store; good ones reach {@code Stores}. */
class StoreOptionsTest {
    @TempDir
    Path dir;

    Path index;
    Path store;

    @BeforeEach
    void makeIndex() throws IOException {
        store = dir.resolve("s.castr");
        index = dir.resolve("a.caibx");
        Cli.run("make", "--store=" + store, index, TestData.write(dir, "in.bin", TestData.random(1, 200_000)))
                .assertOk();
    }

    private void usageError(String mustMention, Object... args) {
        Cli.Run run = Cli.run(args);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.errLines().get(0).startsWith("jcasync: "), run.err());
        assertTrue(run.errLines().get(0).contains(mustMention), "should mention '" + mustMention + "': " + run.err());
        assertEquals(1, run.errLines().size(), "one line: " + run.err());
    }

    @Test
    void negativeRetriesIsAUsageError() {
        usageError("--retries", "extract", "--store=" + store, "--retries=-1", index, dir.resolve("out"));
        usageError("--retries", "extract", "--store=" + store, "--retries", "-1", index, dir.resolve("out"));
        usageError("--retries", "info", "--retries=many", index);
    }

    @Test
    void nonPositiveTimeoutIsAUsageError() {
        for (String t : new String[] {"0", "-3", "NaN", "soon", "Infinity"}) {
            usageError("--timeout", "extract", "--store=" + store, "--timeout=" + t, index, dir.resolve("out"));
        }
    }

    @Test
    void aMalformedHeaderIsAUsageError() {
        usageError("--header", "info", "--header=no colon here", index);
    }

    @Test
    void aClientKeyWithoutItsCertificateIsAUsageError() {
        usageError(
                "--client-key needs --client-cert",
                "extract",
                "--store=" + store,
                "--client-key=" + dir.resolve("k.pem"),
                index,
                dir.resolve("out"));
    }

    @Test
    void goodValuesWork() {
        Cli.run(
                        "extract",
                        "--store=" + store,
                        "--retries=0",
                        "--timeout=0.5",
                        "--header=X-Trace: 1",
                        index,
                        dir.resolve("out"))
                .assertOk();
        Cli.run("extract", "--store=file://" + store, index, dir.resolve("out2"))
                .assertOk();
    }

    @Test
    void anUnsupportedSchemeSaysSo() {
        Cli.Run run = Cli.run("extract", "--store=ftp://h/store", index, dir.resolve("out"));
        assertEquals(1, run.exitCode());
        assertEquals(
                "jcasync: store ftp://h/store: unsupported URL scheme (use a directory or http(s):// or s3+http(s)://)",
                run.err().strip());
    }
}
