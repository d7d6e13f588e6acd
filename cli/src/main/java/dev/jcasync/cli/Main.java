package dev.jcasync.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jcasync} command line: a thin layer over the chunker and store libraries. */
@Command(
        name = "jcasync",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Content-defined chunking and image delivery, compatible with casync and desync.")
// The subcommands are added by commandLine(args), not listed here: picocli builds each one's model by
// reflection, and a run needs only its own.
public final class Main implements Runnable {
    /**
     * The verbs in --help order: name -> a new command object. The one place that lists them; no
     * command class is loaded before its verb runs.
     */
    static final Map<String, Supplier<Object>> VERBS = verbs();

    /** Verbs that read the whole model (every command's help, completion, man pages). */
    private static final Set<String> WHOLE_MODEL = Set.of("help", "completion", "man");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        // Whatever escapes (an Error such as a native library that cannot be loaded, or a failure in
        // another thread) is one line, never a stack trace.
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Fatal.report(e, err));
        // zstd-jni unpacks its native library before loading it: into TMPDIR, as casync's temporary
        // files go, even when the jar is run without the launcher (which also sets java.io.tmpdir).
        String tmpdir = System.getenv("TMPDIR");
        if (tmpdir != null && !tmpdir.isEmpty() && System.getProperty("ZstdTempFolder") == null) {
            System.setProperty("ZstdTempFolder", tmpdir);
        }
        int code;
        try {
            code = execute(args, new PrintWriter(System.out, true), err);
        } catch (Throwable e) {
            code = Fatal.report(e, err);
        }
        System.exit(code);
    }

    /** Runs one command line; returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (FeatureFlagOptions.helpRequested(args)) {
            FeatureFlagOptions.printHelp(out); // as casync: before anything else is checked
            return 0;
        }
        if (isVersion(args)) { // what picocli prints, without building a model (scripts call it often)
            for (String line : new Version().getVersion()) {
                out.println(line);
            }
            out.flush();
            return 0;
        }
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setOverwrittenOptionsAllowed(true); // as casync (getopt): the last of a repeated option wins
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrors(err));
        int code = cli.execute(GlobalOptions.hoist(cli, args));
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line for {@code args}: the root with only the verb {@code args} invoke when that
     * is certain (the verb is the first argument naming one, and the options before it are that
     * verb's), or with every verb (help, completion, man, no verb, and anything unusual), so
     * that what is parsed and printed is the same either way.
     */
    static CommandLine commandLine(String[] args) {
        if (isVersion(args)) {
            return new CommandLine(new Main()); // no verb's model is needed
        }
        int verb = 0;
        while (verb < args.length && !VERBS.containsKey(args[verb])) {
            verb++;
        }
        if (verb < args.length && !WHOLE_MODEL.contains(args[verb])) {
            CommandLine one = new CommandLine(new Main());
            one.addSubcommand(args[verb], VERBS.get(args[verb]).get());
            if (GlobalOptions.verbIndex(one, args) == verb) {
                return one;
            }
        }
        return wholeCommandLine();
    }

    private static boolean isVersion(String[] args) {
        return args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"));
    }

    /** The root with every verb. */
    static CommandLine wholeCommandLine() {
        CommandLine all = new CommandLine(new Main());
        VERBS.forEach((name, command) -> all.addSubcommand(name, command.get()));
        return all;
    }

    // Named classes and methods, not lambdas of picocli's types: picocli is Java 5 bytecode, which the
    // AOT cache leaves out, and Java 25 fails assembling a cache with linked call sites that name it.
    private static Object helpCommand() {
        return new CommandLine.HelpCommand();
    }

    /** A usage error: one line, exit status 2. */
    private static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
        private final PrintWriter err;

        UsageErrors(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            err.println("jcasync: " + usageMessage(ex));
            return 2;
        }
    }

    private static Map<String, Supplier<Object>> verbs() {
        Map<String, Supplier<Object>> verbs = new LinkedHashMap<>();
        verbs.put("make", MakeCommand::new);
        verbs.put("extract", ExtractCommand::new);
        verbs.put("info", InfoCommand::new);
        verbs.put("list", ListCommand::new);
        verbs.put("digest", DigestCommand::new);
        verbs.put("verify", VerifyCommand::new);
        verbs.put("prune", PruneCommand::new);
        verbs.put("gc", GcCommand::new);
        verbs.put("chop", ChopCommand::new);
        verbs.put("cache", CacheCommand::new);
        verbs.put("serve", ServeCommand::new);
        verbs.put("mtree", MtreeCommand::new);
        verbs.put("stat", StatCommand::new);
        verbs.put("completion", CompletionCommand::new);
        verbs.put("man", ManCommand::new);
        verbs.put("help", Main::helpCommand);
        return Collections.unmodifiableMap(verbs);
    }

    /**
     * The one line of a usage error: for a bad option value, the option and the value and what was
     * expected ({@code --chunk-size=foo: expected ...}); otherwise picocli's message and where to
     * find help.
     */
    static String usageMessage(CommandLine.ParameterException ex) {
        String message = ex.getMessage().replace('\n', ' ');
        if (ex.getArgSpec() instanceof CommandLine.Model.OptionSpec option
                && ex.getValue() != null
                && message.startsWith("Invalid value for option '")) {
            int colon = message.indexOf("': ");
            String reason = colon < 0 ? message : message.substring(colon + 3);
            return option.longestName() + "=" + ex.getValue() + ": " + reason;
        }
        return message + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing command (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
