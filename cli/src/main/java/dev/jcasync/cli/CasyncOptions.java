package dev.jcasync.cli;

import dev.jcasync.index.FeatureFlags;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * casync's options that every casync verb accepts (casync parses one global option set), so a
 * script written for casync runs unchanged. Each value is checked as casync checks it. Those that
 * act on directory archives only are accepted and have no effect on blobs; they are hidden from
 * --help and listed in the README.
 */
final class CasyncOptions {
    static final int LOG_WARNING = 4;
    static final int LOG_INFO = 6;
    static final int LOG_DEBUG = 7;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = {"-l", "--log-level"},
            paramLabel = "LEVEL",
            converter = Values.LogLevels.class,
            description = "Log level: err hides warnings, debug adds a stack trace to errors (default info).")
    Integer logLevel;

    @Option(
            names = "--extra-store",
            paramLabel = "STORE",
            description = "Another store to read chunks from, tried after --store (repeatable; read only).")
    List<String> extraStores = new ArrayList<>();

    @Option(
            names = "--rate-limit-bps",
            paramLabel = "BYTES",
            converter = Values.PositiveSize.class,
            description = "Most bytes per second transferred to or from remote (http) stores, e.g. 1M.")
    Long rateLimitBps;

    @Option(
            names = "--what",
            paramLabel = "SELECTOR",
            converter = Values.Whats.class,
            description = "What INDEX or FILE is: blob-index, blob (digest); archive, archive-index (make of a "
                    + "directory), directory (list, mtree, stat, digest); help lists them.")
    Values.What what;

    @Option(
            names = {"-c", "--cache-auto"},
            hidden = true,
            description = "casync: encoder cache for archives (no effect on blobs).")
    boolean cacheAuto;

    // casync's archive and extraction switches: checked, no effect on blobs.
    @Option(
            names = "--exclude-nodump",
            hidden = true,
            arity = "1",
            paramLabel = "yes|no",
            converter = Values.YesNo.class)
    Boolean excludeNodump;

    @Option(
            names = "--exclude-submounts",
            hidden = true,
            arity = "1",
            paramLabel = "yes|no",
            converter = Values.YesNo.class)
    Boolean excludeSubmounts;

    @Option(names = "--exclude-file", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean excludeFile;

    @Option(names = "--reflink", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean reflink;

    @Option(names = "--hardlink", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean hardlink;

    @Option(names = "--punch-holes", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean punchHoles;

    @Option(names = "--delete", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean delete;

    @Option(
            names = "--undo-immutable",
            hidden = true,
            arity = "1",
            paramLabel = "yes|no",
            converter = Values.YesNo.class)
    Boolean undoImmutable;

    @Option(names = "--recursive", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean recursive;

    @Option(names = "--mkdir", hidden = true, arity = "1", paramLabel = "yes|no", converter = Values.YesNo.class)
    Boolean mkdir;

    @Option(names = "--uid-shift", hidden = true, paramLabel = "yes|no|SHIFT", converter = Values.UidShift.class)
    String uidShift;

    @Option(names = "--uid-range", hidden = true, paramLabel = "RANGE", converter = Values.UidRange.class)
    String uidRange;

    /**
     * casync's exclusion switches as a feature-flag selection: --exclude-nodump and --exclude-file
     * are on unless set to no, --exclude-submounts is off unless set to yes. They change only the
     * index header's flags, not the chunks.
     */
    FeatureFlags.Selection exclusions() {
        FeatureFlags.Selection d = FeatureFlags.Selection.DEFAULT;
        return new FeatureFlags.Selection(
                d.with(),
                d.without(),
                excludeNodump == null ? d.excludeNodump() : excludeNodump,
                excludeSubmounts == null ? d.excludeSubmounts() : excludeSubmounts,
                excludeFile == null ? d.excludeFile() : excludeFile);
    }

    int logLevel() {
        return logLevel == null ? LOG_INFO : logLevel;
    }

    /** A warning line on stderr, unless {@code -l} is below warning (err, crit, alert, emerg). */
    void warn(String message) {
        if (logLevel() >= LOG_WARNING) {
            PrintWriter err = command.commandLine().getErr();
            err.println("jcasync: warning: " + message);
            err.flush();
        }
    }

    /** Handles {@code --what=help}: prints casync's list of selectors and returns true (the command is done). */
    boolean whatHelp() {
        if (what == Values.What.HELP) {
            PrintWriter out = command.commandLine().getOut();
            out.print(Values.What.HELP_TEXT);
            out.flush();
            return true;
        }
        return false;
    }
}
