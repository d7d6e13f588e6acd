package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.vectors.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list and digest with --json, casync's refusals of mtree and stat, and the JSON writer itself. */
class InspectCommandsTest {
    @TempDir
    Path dir;

    @Test
    void listJsonHasTheSameChunksAsTheText() throws Exception {
        Path image = TestData.write(dir, "img", TestData.mixed(3, 3 << 20));
        Path index = dir.resolve("img.caibx");
        Casync.run("make", "--store=" + dir.resolve("s.castr"), index, image);
        List<String> text = Cli.run("list", index).assertOk().out().lines().toList();
        Map<String, Object> j = Inspect.json(Cli.run("list", "--json", index));
        assertEquals(index.toString(), j.get("index"));
        List<Object> chunks = Json.array(j.get("chunks"));
        assertEquals(text.size(), chunks.size());
        for (int i = 0; i < text.size(); i++) {
            Map<String, Object> c = Json.object(chunks.get(i));
            assertEquals(text.get(i), c.get("offset") + " " + c.get("size") + " " + c.get("id"));
        }
    }

    @Test
    void digestJsonMatchesCasync() throws Exception {
        Path image = TestData.write(dir, "img", TestData.random(4, 1 << 20));
        String casync = Casync.run("digest", image).strip();
        Map<String, Object> j = Inspect.json(Cli.run("digest", "--json", image));
        assertEquals(Map.of("file", image.toString(), "algorithm", "sha512-256", "digest", casync), j);
        Map<String, Object> sha256 = Inspect.json(Cli.run("digest", "--json", "--digest=sha256", image));
        assertEquals(Casync.run("digest", "--digest=sha256", image).strip(), sha256.get("digest"));
    }

    @Test
    void mtreeAndStatRefuseABlobIndexAsCasyncDoes() throws Exception {
        Path index = dir.resolve("img.caibx");
        Casync.run(
                "make",
                "--store=" + dir.resolve("s.castr"),
                index,
                TestData.write(dir, "img", TestData.random(6, 100_000)));
        for (String command : new String[] {"mtree", "stat"}) {
            Process casync = new ProcessBuilder(Casync.binary(), command, index.toString())
                    .redirectErrorStream(true)
                    .start();
            String casyncSays = new String(casync.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(1, casync.waitFor());
            Cli.Run ours = Cli.run(command, index);
            assertEquals(1, ours.exitCode(), command);
            assertEquals(1, ours.errLines().size(), ours.err());
            assertTrue(
                    ours.err().startsWith("jcasync: " + index + ": " + casyncSays), ours.err() + " vs " + casyncSays);
        }
        // a directory is what mtree and stat are for: the same lines as casync's
        assertEquals(Casync.run("mtree", dir), Cli.run("mtree", dir).assertOk().out());
        assertEquals(Casync.run("stat", dir), Cli.run("stat", dir).assertOk().out());
    }

    /** Each failure is one line on stderr naming what failed, with exit status 1. */
    @Test
    void failuresAreOneLineNamingTheObject() throws Exception {
        Path absent = dir.resolve("absent.caibx");
        assertOneLine(Cli.run("info", absent), absent + ": no such file or directory");
        assertOneLine(
                Cli.run("prune", "--store=" + dir.resolve("no.castr"), absent),
                "store " + dir.resolve("no.castr") + ": no such directory");
        Cli.Run usage = Cli.run("make", "--compression=brotli", dir.resolve("x.caibx"), absent);
        assertEquals(2, usage.exitCode(), "a bad value is a usage error");
        assertEquals(
                List.of("jcasync: --compression=brotli: expected zstd, xz, gzip, lz4, none or default"),
                usage.errLines());

        Path image = TestData.write(dir, "img", TestData.random(8, 300_000));
        Path index = dir.resolve("img.caibx");
        Path store = dir.resolve("s.castr");
        Casync.run("make", "--store=" + store, index, image);
        String chunk = Cli.run("list", index)
                .assertOk()
                .out()
                .lines()
                .findFirst()
                .orElseThrow()
                .split(" ")[2];
        java.nio.file.Files.delete(store.resolve(chunk.substring(0, 4)).resolve(chunk + ".cacnk"));
        assertOneLine(
                Cli.run("cache", "--store=" + store, "--cache=" + dir.resolve("c.castr"), index),
                "chunk " + chunk + " not found");
        assertOneLine(
                Cli.run("chop", "--store=" + store, index, dir.resolve("gone.img")),
                dir.resolve("gone.img") + ": no such file");
    }

    private static void assertOneLine(Cli.Run run, String expected) {
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(
                run.err().startsWith("jcasync: ") && run.err().contains(expected),
                run.err() + " should say " + expected);
    }

    @Test
    void jsonWriterEscapesAndSeparates() {
        StringWriter s = new StringWriter();
        new JsonWriter(new PrintWriter(s))
                .beginObject()
                .field("text", "a \"quoted\" \\ path\n\t\u0001é")
                .name("list")
                .beginArray()
                .value(1)
                .value((Long) null)
                .beginObject()
                .endObject()
                .beginArray()
                .endArray()
                .endArray()
                .field("flag", false)
                .endObject()
                .finish();
        assertEquals(
                "{\"text\":\"a \\\"quoted\\\" \\\\ path\\n\\t\\u0001é\",\"list\":[1,null,{},[]],\"flag\":false}\n",
                s.toString());
        Map<String, Object> parsed = Json.object(Json.parse(s.toString()));
        assertEquals("a \"quoted\" \\ path\n\t\u0001é", parsed.get("text"));
    }
}
