package dev.jcasync.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "man",
        mixinStandardHelpOptions = true,
        description = {
            "Write the man pages of jcasync and its commands into DIR.",
            "One page per command (jcasync.1, jcasync-make.1, ...), generated from the same model as --help.",
            "Read one with: man -l DIR/jcasync-make.1"
        })
final class ManCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to write the pages to (created if missing).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(dir);
        List<CommandSpec> pages = new ArrayList<>();
        pages.add(spec.root());
        for (CommandLine sub : spec.root().subcommands().values()) {
            if (!pages.contains(sub.getCommandSpec())) { // aliases map to the same command
                pages.add(sub.getCommandSpec());
            }
        }
        for (CommandSpec page : pages) {
            Path file = dir.resolve(ManPage.fileName(page));
            Files.writeString(file, ManPage.render(page), StandardCharsets.UTF_8);
            spec.commandLine().getOut().println(file);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
