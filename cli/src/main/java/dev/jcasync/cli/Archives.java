package dev.jcasync.cli;

import dev.jcasync.cli.Values.What;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Directory archives (.catar, .caidx and directory trees) are not supported yet. Commands refuse
 * them by name or by {@code --what}, with one line and exit status 1, instead of treating an
 * archive index as a blob index (which would print a wrong digest and succeed).
 */
final class Archives {
    private static final Set<What> ARCHIVE_SELECTORS = EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX, What.DIRECTORY);

    private Archives() {}

    /** Whether {@code name} (a path or URL) names a .catar or .caidx, as casync classifies by suffix. */
    static boolean isArchiveName(String name) {
        String base = name.split("[?;#]", 2)[0].toLowerCase(Locale.ROOT);
        return base.endsWith(".caidx") || base.endsWith(".catar");
    }

    static IllegalArgumentException unsupported(String what) {
        return new IllegalArgumentException(
                what + ": directory archives (.catar, .caidx, directories) are not supported yet; "
                        + "jcasync handles blobs and blob indexes (.caibx)");
    }

    /**
     * Refuses a .catar where a chunk index is wanted (exit 1). A .caidx is a chunk index like a
     * .caibx (the same table; its chunks make a catar stream), so info, cache, prune, gc and chop take it.
     */
    static void refuseCatar(String name) {
        if (name.split("[?;#]", 2)[0].toLowerCase(Locale.ROOT).endsWith(".catar")) {
            throw new IllegalArgumentException(
                    name + ": a directory archive, not a chunk index; give the .caidx made of the tree");
        }
    }

    /** Whether {@code name} names a .caidx (by its suffix, as casync tells). */
    static boolean isArchiveIndexName(String name) {
        return name.split("[?;#]", 2)[0].toLowerCase(Locale.ROOT).endsWith(".caidx");
    }

    /** Refuses {@code name} if it names an archive (exit 1). */
    static void refuseArchiveName(String name) {
        if (isArchiveName(name)) {
            throw unsupported(name);
        }
    }

    /**
     * Checks {@code --what} for a command that reads .catar and .caidx archives (extract, list, mtree,
     * digest): as {@link #checkWhat}, but only {@code --what=directory} is refused as not supported.
     */
    static void checkWhatReading(CommandSpec command, What what, Set<What> casyncAllows) {
        checkWhatReading(command, what, casyncAllows, EnumSet.noneOf(What.class));
    }

    /** {@link #checkWhatReading(CommandSpec, What, Set)} for a command that also handles {@code alsoSupported} (directories). */
    static void checkWhatReading(CommandSpec command, What what, Set<What> casyncAllows, Set<What> alsoSupported) {
        Set<What> supported = EnumSet.of(What.ARCHIVE, What.ARCHIVE_INDEX);
        supported.addAll(alsoSupported);
        checkWhat(command, what, casyncAllows, supported);
    }

    /**
     * Checks {@code --what} for a command: a selector casync does not allow for this verb is a
     * usage error (exit 2, casync's wording); an archive selector casync allows is refused as not
     * supported yet (exit 1). {@code what} may be null (not given).
     */
    static void checkWhat(CommandSpec command, What what, Set<What> casyncAllows) {
        checkWhat(command, what, casyncAllows, EnumSet.noneOf(What.class));
    }

    /** {@link #checkWhat(CommandSpec, What, Set)} for a command that handles the archive selectors in {@code supported}. */
    static void checkWhat(CommandSpec command, What what, Set<What> casyncAllows, Set<What> supported) {
        if (what == null || what == What.HELP) {
            return;
        }
        if (!casyncAllows.contains(what)) {
            String allowed =
                    casyncAllows.stream().map(w -> "--what=" + w.cliName()).collect(Collectors.joining(", "));
            throw new ParameterException(
                    command.commandLine(),
                    "--what=" + what.cliName() + ": \"" + command.name() + "\" operation may only be combined with "
                            + allowed);
        }
        if (ARCHIVE_SELECTORS.contains(what) && !supported.contains(what)) {
            throw unsupported("--what=" + what.cliName());
        }
    }
}
