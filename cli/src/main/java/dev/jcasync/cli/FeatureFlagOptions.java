package dev.jcasync.cli;

import dev.jcasync.index.FeatureFlags;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * casync's {@code --with=FLAG} and {@code --without=FLAG} (repeatable, OR-ed): which metadata an
 * archive stores. A blob index records the resulting feature-flag word in its header, so make needs
 * them for byte-identical indexes (RAUC passes {@code --with=unix}); extract accepts them as casync
 * does (they do not change how a blob is rebuilt). {@code --with=help} lists the flag names.
 */
final class FeatureFlagOptions {
    @Option(
            names = "--with",
            paramLabel = "FLAG",
            description =
                    "Store this feature (repeatable): an individual flag (16bit-uids, 32bit-uids, user-names, sec-time, "
                            + "usec-time, nsec-time, 2sec-time, read-only, permissions, symlinks, device-nodes, fifos, sockets, flag-*, "
                            + "subvolume, subvolume-ro, xattrs, acl, selinux, fcaps, quota-projid) or a group (best, unix, fat, chattr, "
                            + "fat-attrs, privileged, fuse, all). Recorded in the index header, as casync does. --with=help lists them.")
    List<String> with = new ArrayList<>();

    @Option(
            names = "--without",
            paramLabel = "FLAG",
            description = "Do not store this feature or group (repeatable), e.g. --without=all.")
    List<String> without = new ArrayList<>();

    /**
     * The selection on top of {@code base}, every name checked.
     *
     * @throws IllegalArgumentException naming the bad value as casync does
     */
    FeatureFlags.Selection selection(FeatureFlags.Selection base) {
        return base.with(checked("--with=", with)).without(checked("--without=", without));
    }

    /** Checks the names only (extract: casync refuses unknown names there too). */
    void validate() {
        selection(FeatureFlags.Selection.DEFAULT);
    }

    private static List<String> checked(String option, List<String> names) {
        for (String n : names) {
            if (!FeatureFlags.allNames().containsKey(n)) {
                throw new IllegalArgumentException("Failed to parse " + option + " feature flag: " + n);
            }
        }
        return names;
    }

    /**
     * Whether {@code args} ask for the flag list ({@code --with=help} or {@code --without=help}, as
     * casync, before any other check); looks no further than a {@code --}.
     */
    static boolean helpRequested(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--with=help")
                    || a.equals("--without=help")
                    || ((a.equals("--with") || a.equals("--without"))
                            && i + 1 < args.length
                            && args[i + 1].equals("help"))) {
                return true;
            }
        }
        return false;
    }

    /** casync's {@code --with=help} output (an SELinux-enabled build, as Debian's). */
    static void printHelp(PrintWriter out) {
        out.println("Supported --with= and --without= flags:");
        for (String name : FeatureFlags.individualNames()) {
            out.println(name);
        }
        out.flush();
    }
}
