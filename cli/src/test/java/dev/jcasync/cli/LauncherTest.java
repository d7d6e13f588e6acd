package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jcasync} launcher picks its Java (JCASYNC_JAVA, then JAVA_HOME, then the newest JDK
 * 17 or later installed, then java on PATH) and {@code --version} says which; jobs run under Java
 * 17 as under the newest.
 */
class LauncherTest {
    private static final Path JVMS = Path.of("/usr/lib/jvm");

    @TempDir
    Path dir;

    private static DropIn.Result launcher(Map<String, String> env, Object... args) throws Exception {
        List<String> command =
                new java.util.ArrayList<>(List.of(DropIn.launcher().toString()));
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        Map<String, String> all = new HashMap<>(env);
        all.put("JCASYNC_CLASSPATH", System.getProperty("java.class.path"));
        return DropIn.run(command, null, null, all);
    }

    /** The feature version of the JDK at {@code home} (its release file), 0 if unknown. */
    private static int feature(Path home) {
        try {
            Matcher m =
                    Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<Path> installedJdks() throws IOException {
        if (!Files.isDirectory(JVMS)) {
            return List.of();
        }
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .sorted()
                    .toList();
        }
    }

    private static String javaLine(DropIn.Result version) {
        List<String> lines = version.out().lines().toList();
        assertEquals(2, lines.size(), version.out() + version.err());
        assertTrue(lines.get(0).startsWith("jcasync "), lines.get(0));
        return lines.get(1);
    }

    @Test
    void versionNamesTheJavaChosen() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        String expected = "java " + System.getProperty("java.runtime.version") + " ";
        String chosen = javaLine(
                launcher(Map.of("JCASYNC_JAVA", home.toString()), "--version").assertOk("--version"));
        assertTrue(chosen.startsWith(expected) && chosen.endsWith(home + "/bin/java"), chosen);
        chosen = javaLine(launcher(Map.of("JAVA_HOME", home.toString(), "JCASYNC_JAVA", ""), "--version"));
        assertTrue(chosen.endsWith(home + "/bin/java"), chosen);
    }

    @Test
    void withoutJavaHomeTheNewestInstalledJdkRuns() throws Exception {
        List<Path> jdks = installedJdks();
        DropIn.require(!jdks.isEmpty(), "no JDK under " + JVMS);
        int newest = jdks.stream().mapToInt(LauncherTest::feature).max().orElseThrow();
        String chosen = javaLine(launcher(Map.of("JAVA_HOME", "", "JCASYNC_JAVA", ""), "--version")
                .assertOk("--version"));
        assertTrue(chosen.startsWith("java " + newest + "."), chosen + " (newest installed: " + newest + ")");
    }

    @Test
    void makeAndExtractRunUnderJava17() throws Exception {
        Path jdk17 = installedJdks().stream()
                .filter(h -> feature(h) == 17)
                .findFirst()
                .orElse(null);
        DropIn.require(jdk17 != null, "no JDK 17 under " + JVMS);
        Map<String, String> env = Map.of("JCASYNC_JAVA", jdk17.toString());
        byte[] data = TestData.mixed(17, 3_000_000);
        Path image = TestData.write(dir, "image.img", data);
        String store = "--store=" + dir.resolve("s.castr");
        launcher(env, "make", store, dir.resolve("i.caibx"), image).assertOk("make");
        DropIn.Result extract = launcher(env, "extract", store, dir.resolve("i.caibx"), dir.resolve("out.img"));
        extract.assertOk("extract");
        assertEquals("", extract.out());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("out.img")));
        String chosen = javaLine(launcher(env, "--version"));
        assertTrue(chosen.startsWith("java 17.") && chosen.endsWith(jdk17.toRealPath() + "/bin/java"), chosen);
    }
}
