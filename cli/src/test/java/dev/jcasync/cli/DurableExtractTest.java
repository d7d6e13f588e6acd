package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extract makes OUTPUT durable: the temporary file is synced before it is renamed into place, and
 * the directory after, so a power cut cannot leave a torn image under the final name. Watched with
 * strace on a real jcasync process.
 */
class DurableExtractTest {
    @TempDir
    Path dir;

    Path index;
    Path store;
    byte[] data;

    @BeforeEach
    void image() throws Exception {
        data = TestData.random(31, 2 << 20);
        index = dir.resolve("image.caibx");
        store = dir.resolve("store.castr");
        Cli.run("make", "--store=" + store, index, TestData.write(dir, "image.img", data))
                .assertOk();
    }

    @Test
    void outputIsSyncedBeforeTheRenameAndTheDirectoryAfter() throws Exception {
        Path out = dir.resolve("out.img");
        List<String> calls = straced("extract", "-q", "--store=" + store, index, out);
        assertArrayEquals(data, Files.readAllBytes(out));
        int rename = indexOf(calls, "rename", out.getFileName() + "\"");
        assertTrue(rename > 0, "one rename into place: " + calls);
        // strace -y names each descriptor's file: fsync(7</dir/.#out.img0123...>).
        assertTrue(
                calls.subList(0, rename).stream().anyMatch(c -> isSync(c) && c.contains("/.#out.img")),
                "the temporary file is synced before the rename: " + calls);
        String directory = "<" + dir.toRealPath() + ">";
        assertTrue(
                calls.subList(rename + 1, calls.size()).stream().anyMatch(c -> isSync(c) && c.contains(directory)),
                "the directory is synced after the rename: " + calls);
    }

    @Test
    void inPlaceIsSyncedToo() throws Exception {
        Path out = dir.resolve("out.img");
        Files.write(out, new byte[1000]);
        List<String> calls = straced("extract", "-q", "--in-place", "--store=" + store, index, out);
        assertArrayEquals(data, Files.readAllBytes(out));
        String output = "<" + out.toRealPath() + ">";
        assertTrue(calls.stream().anyMatch(c -> isSync(c) && c.contains(output)), calls.toString());
    }

    @Test
    void noSyncSkipsIt() throws Exception {
        Path out = dir.resolve("out.img");
        List<String> calls = straced("extract", "-q", "--no-sync", "--store=" + store, index, out);
        assertArrayEquals(data, Files.readAllBytes(out));
        assertTrue(indexOf(calls, "rename", out.getFileName() + "\"") >= 0, calls.toString());
        assertEquals(
                List.of(), calls.stream().filter(DurableExtractTest::isSync).toList());
    }

    private static boolean isSync(String call) {
        return call.startsWith("fsync") || call.startsWith("fdatasync");
    }

    private static int indexOf(List<String> calls, String prefix, String contains) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix) && calls.get(i).contains(contains)) {
                return i;
            }
        }
        return -1;
    }

    /** The fsync, fdatasync and rename calls of {@code jcasync args}, in order (all threads). */
    private List<String> straced(Object... args) throws IOException, InterruptedException {
        String strace = strace();
        Path log = dir.resolve("strace.log");
        List<String> cmd = new ArrayList<>(List.of(
                strace,
                "-f",
                "-qq",
                "-y",
                "-s",
                "256",
                "-o",
                log.toString(),
                "-e",
                "trace=fsync,fdatasync,rename,renameat,renameat2",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        List<String> calls = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // "<pid> fsync(7) = 0": drop the pid; resumed halves of interrupted calls carry no name.
            String call = line.replaceFirst("^\\d+\\s+", "");
            if (call.matches("^(fsync|fdatasync|rename|renameat|renameat2)\\(.*")) {
                calls.add(call);
            }
        }
        return calls;
    }

    private static String strace() {
        for (String p : List.of("/usr/bin/strace", "/bin/strace")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("strace is not installed, but CI=true: the durability test must run (apt-get install -y strace)");
        }
        assumeTrue(false, "strace not installed; durability test skipped");
        return null;
    }
}
