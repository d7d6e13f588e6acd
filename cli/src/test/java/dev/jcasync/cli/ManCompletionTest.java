package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell completion and man pages, both generated from the picocli model, cover every command. */
class ManCompletionTest {
    /** Every subcommand name (aliases included) of the real command line. */
    private static Set<String> commands() {
        return new TreeSet<>(Main.wholeCommandLine().getSubcommands().keySet());
    }

    @Test
    void completionNamesEveryCommandAndTheirOptions() throws Exception {
        String script = Cli.run("completion").assertOk().out();
        assertTrue(script.startsWith("#!/usr/bin/env bash"), script.substring(0, 100));
        for (String command : commands()) {
            assertTrue(script.contains(command), "completion lacks " + command);
        }
        for (String option : new String[] {"--repair-from", "--grace", "--dry-run", "--compression", "--json"}) {
            assertTrue(script.contains(option), "completion lacks " + option);
        }
        // bash accepts it.
        Path file = Files.writeString(Files.createTempFile("jcasync", ".bash"), script);
        Process bash = new ProcessBuilder("bash", "-n", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        Files.delete(file);
    }

    @Test
    void manWritesAPagePerCommandThatManRenders(@TempDir Path dir) throws Exception {
        Cli.Run run = Cli.run("man", dir).assertOk();
        Set<String> expected = new TreeSet<>();
        expected.add("jcasync.1");
        Main.wholeCommandLine()
                .getSubcommands()
                .values()
                .forEach(c -> expected.add("jcasync-" + c.getCommandName() + ".1"));
        Set<String> written;
        try (Stream<Path> files = Files.list(dir)) {
            written = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(expected, written);
        assertEquals(expected.size(), run.out().lines().count(), "one line per page written");

        String main = Files.readString(dir.resolve("jcasync.1"));
        for (String command : commands()) {
            if (!command.equals("gc")) { // an alias: described on its command's page
                assertTrue(main.contains("\\fB" + command.replace("-", "\\-") + "\\fR"), "jcasync.1 lacks " + command);
            }
        }
        String prune = Files.readString(dir.resolve("jcasync-prune.1"));
        assertTrue(prune.contains(".SH OPTIONS") && prune.contains("\\-\\-grace") && prune.contains("gc"), prune);

        if (onPath("groff")) {
            for (String page : List.of("jcasync.1", "jcasync-prune.1", "jcasync-info.1")) {
                Process groff = new ProcessBuilder(
                                "groff",
                                "-man",
                                "-Tutf8",
                                "-ww",
                                dir.resolve(page).toString())
                        .redirectErrorStream(false)
                        .start();
                String rendered = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .replaceAll(".\b", ""); // grotty's overstrike for bold and underline
                String warnings = new String(groff.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, groff.waitFor(), warnings);
                assertEquals("", warnings, page + " renders without warnings");
                assertTrue(rendered.contains("SYNOPSIS") && rendered.contains("jcasync"), rendered);
            }
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
