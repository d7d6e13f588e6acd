package dev.jcasync.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * casync reads its options anywhere on the command line, also before the verb
 * ({@code casync --store=S extract ...}). picocli reads a subcommand's options after its name, so
 * options given before the verb are moved to just after it.
 */
final class GlobalOptions {
    private GlobalOptions() {}

    /**
     * {@code args} with the options before the verb moved after it; unchanged if there are none, if
     * no verb follows them, or if one of them is jcasync's own (--help, --version).
     */
    static String[] hoist(CommandLine cli, String[] args) {
        int i = verbIndex(cli, args);
        if (i <= 0 || i >= args.length || !cli.getSubcommands().containsKey(args[i])) {
            return args;
        }
        List<String> result = new ArrayList<>();
        result.add(args[i]);
        result.addAll(List.of(args).subList(0, i));
        result.addAll(List.of(args).subList(i + 1, args.length));
        return result.toArray(String[]::new);
    }

    /**
     * Where the verb should be in {@code args}: the index of the first argument after the leading
     * options (as the verbs of {@code cli} read them), or -1 if one of those is jcasync's own
     * (--help, --version) or no verb of {@code cli} knows it.
     */
    static int verbIndex(CommandLine cli, String[] args) {
        int i = 0;
        while (i < args.length && args[i].startsWith("-") && !args[i].equals("-") && !args[i].equals("--")) {
            String arg = args[i];
            String name = arg.startsWith("--") ? arg.split("=", 2)[0] : arg.substring(0, 2);
            if (cli.getCommandSpec().findOption(name) != null) {
                return -1; // jcasync's own -h/--help, -V/--version
            }
            OptionSpec option = findInVerbs(cli, name);
            if (option == null) {
                return -1; // unknown: picocli reports it
            }
            boolean valueAttached = arg.startsWith("--") ? arg.contains("=") : arg.length() > 2;
            i += option.arity().min() > 0 && !valueAttached ? 2 : 1;
        }
        return i;
    }

    private static OptionSpec findInVerbs(CommandLine cli, String name) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            OptionSpec option = sub.getCommandSpec().findOption(name);
            if (option != null) {
                return option;
            }
        }
        return null;
    }
}
