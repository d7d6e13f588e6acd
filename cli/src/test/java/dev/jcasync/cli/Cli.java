package dev.jcasync.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the jcasync command line in this JVM or as a separate process, capturing its output. */
final class Cli {
    record Run(int exitCode, String out, String err) {
        /** stderr as lines, without the trailing newline. */
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.strip().split("\n"));
        }

        Run assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("jcasync exited " + exitCode + ": " + err);
            }
            return this;
        }
    }

    private Cli() {}

    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] argv = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            argv[i] = String.valueOf(args[i]);
        }
        int code = Main.execute(argv, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Starts {@code jcasync args} as its own JVM (for concurrency, stdin and kill tests). */
    static Process start(Path stdin, Object... args) throws IOException {
        return start(Map.of(), stdin, args);
    }

    /** {@link #start(Path, Object...)} with {@code env} added to the process's environment. */
    static Process start(Map<String, String> env, Path stdin, Object... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        return pb.start();
    }

    static Run finish(Process p) throws IOException, InterruptedException {
        // Read both streams fully; outputs here are small.
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("jcasync process timed out");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Waits for {@code process} to end; false if it has not after {@code seconds} or the wait was interrupted. */
    static boolean waitFor(Process process, int seconds) {
        try {
            return process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
