package dev.jcasync.cli;

import java.io.PrintWriter;

/**
 * The last resort of {@link Main}: anything that escapes the command's own error handling (an
 * {@link Error}, such as a native library that cannot be loaded) becomes one line on stderr and
 * exit status 1. The stack trace is printed only with {@code JCASYNC_DEBUG} set.
 */
final class Fatal {
    private Fatal() {}

    static int report(Throwable e, PrintWriter err) {
        err.println("jcasync: " + describe(e));
        if (System.getenv("JCASYNC_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** One line: the innermost useful message, with a hint when it is zstd's native library. */
    static String describe(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        String all = chainText(e);
        if (all.contains("zstd")) {
            return "cannot load the zstd native library (" + firstLine(messageOf(root, e)) + "); it is unpacked into "
                    + "java.io.tmpdir (" + System.getProperty("java.io.tmpdir")
                    + "): set TMPDIR to a writable directory "
                    + "that allows executables";
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "); give the JVM more with JCASYNC_JAVA_OPTS=-Xmx...";
        }
        if (e instanceof Exception ex) {
            return ErrorHandler.describe(ex);
        }
        return firstLine(messageOf(root, e));
    }

    private static String messageOf(Throwable root, Throwable outer) {
        String m = root.getMessage() != null ? root.getMessage() : outer.getMessage();
        return m != null ? m : outer.getClass().getSimpleName();
    }

    private static String chainText(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 10_000; t = t.getCause()) {
            b.append(t.getClass().getName()).append(' ').append(t.getMessage()).append('\n');
            if (t.getCause() == t) {
                break;
            }
        }
        return b.toString().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The first line, without the JDK's wrapping of a recorded class-initialization failure
     * ({@code Exception java.lang.X: MESSAGE [in thread "T"]}).
     */
    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = (nl < 0 ? s : s.substring(0, nl)).strip();
        line = line.replaceFirst("^Exception [\\w.$]+: ", "").replaceFirst("\\s*\\[in thread \"[^\"]*\"\\]$", "");
        return line;
    }
}
