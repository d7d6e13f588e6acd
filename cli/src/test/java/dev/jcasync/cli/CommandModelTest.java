package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run builds only its verb's model when the verb is certain, the whole model otherwise; both
 * parse and print the same.
 */
class CommandModelTest {
    private static List<String> verbsOf(String... args) {
        return List.copyOf(Main.commandLine(args).getSubcommands().keySet());
    }

    @Test
    void theWholeModelHasEveryVerbInHelpOrder() {
        CommandLine all = Main.wholeCommandLine();
        assertEquals(
                List.copyOf(Main.VERBS.keySet()),
                List.copyOf(all.getSubcommands().keySet()));
        all.getSubcommands().forEach((name, sub) -> assertEquals(name, sub.getCommandName()));
    }

    @Test
    void aRunBuildsOnlyTheVerbItInvokes() {
        assertEquals(List.of("extract"), verbsOf("extract", "--store=s", "a.caibx"));
        assertEquals(List.of("extract"), verbsOf("--store=s", "extract", "a.caibx"));
        assertEquals(List.of("extract"), verbsOf("--store", "s", "-v", "extract", "a.caibx", "out"));
        assertEquals(List.of("list"), verbsOf("list", "extract")); // an operand named like a verb
        assertEquals(List.of(), verbsOf("--version"));
    }

    @Test
    void helpCompletionManAndAnythingUnclearGetEveryVerb() {
        List<String> all = List.copyOf(Main.VERBS.keySet());
        assertEquals(all, verbsOf());
        assertEquals(all, verbsOf("--help"));
        assertEquals(all, verbsOf("help", "extract"));
        assertEquals(all, verbsOf("completion"));
        assertEquals(all, verbsOf("man", "dir"));
        assertEquals(all, verbsOf("lst", "a.caibx")); // a typo: picocli's suggestions need every verb
        // "list" is the value of --store here, so the verb is extract: not certain from "list" alone.
        assertEquals(all, verbsOf("--store", "list", "extract", "a.caibx"));
        assertEquals(all, verbsOf("--no-such-option", "extract", "a.caibx"));
    }

    @Test
    void optionsBeforeTheVerbStillWorkWhenAnOptionValueIsNamedLikeAVerb() {
        Cli.Run run = Cli.run("--store", "list", "extract", "--dry-run", "missing.caibx");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("missing.caibx"), run.err());
    }

    @Test
    void versionNamesTheJavaThatRunsIt() {
        List<String> lines = Cli.run("--version").assertOk().out().lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("jcasync "), lines.get(0));
        assertTrue(lines.get(1).startsWith("java " + System.getProperty("java.runtime.version")), lines.get(1));
        assertTrue(lines.get(1).endsWith(System.getProperty("java.home") + "/bin/java"), lines.get(1));
        assertEquals(lines, Cli.run("-V").assertOk().out().lines().toList());
    }
}
