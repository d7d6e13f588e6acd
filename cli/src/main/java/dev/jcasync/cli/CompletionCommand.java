package dev.jcasync.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = {
            "Print a bash completion script for jcasync (zsh can use it through bashcompinit).",
            "Install with: jcasync completion > /etc/bash_completion.d/jcasync, or: source <(jcasync completion)"
        })
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getOut()
                .print(AutoComplete.bash("jcasync", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
