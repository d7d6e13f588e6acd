package dev.jcasync.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jcasync} command line: a thin layer over the chunker and store libraries. */
@Command(
        name = "jcasync",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Content-defined chunking and image delivery, compatible with casync and desync.",
        subcommands = {
            MakeCommand.class,
            ExtractCommand.class,
            InfoCommand.class,
            ListCommand.class,
            DigestCommand.class,
            VerifyCommand.class,
            PruneCommand.class,
            GcCommand.class,
            ChopCommand.class,
            CacheCommand.class,
            ServeCommand.class,
            MtreeCommand.class,
            StatCommand.class,
            CompletionCommand.class,
            ManCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
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
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setOverwrittenOptionsAllowed(true); // as casync (getopt): the last of a repeated option wins
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("jcasync: " + usageMessage(ex));
            return 2;
        });
        int code = cli.execute(GlobalOptions.hoist(cli, args));
        out.flush();
        err.flush();
        return code;
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
