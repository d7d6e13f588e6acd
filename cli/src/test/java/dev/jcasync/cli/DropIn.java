package dev.jcasync.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * jcasync as a drop-in for casync: a directory holding {@code casync} as a symlink to the
 * repository's {@code jcasync} launcher, to put first on PATH. The launcher runs the reactor's
 * classes (JCASYNC_CLASSPATH), so the tests need no packaged jar, yet go through the launcher's
 * JVM set-up (TMPDIR handling and options) as a user's run does.
 */
final class DropIn {
    private DropIn() {}

    /** The repository's launcher script, found upwards from the module directory. */
    static Path launcher() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("jcasync");
            if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("cli/pom.xml"))) {
                return candidate;
            }
        }
        return fail("the jcasync launcher was not found above " + System.getProperty("user.dir"));
    }

    /** Makes {@code dir/casync -> jcasync launcher}; returns {@code dir}. */
    static Path binDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path link = dir.resolve("casync");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, launcher());
        return dir;
    }

    /**
     * The environment for a process that should find jcasync as {@code casync} ({@code binDir}
     * first on PATH; null: the real casync, PATH as it is).
     */
    static void environment(Map<String, String> env, Path binDir) {
        String path = env.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        // The launcher runs `java` from PATH; this JVM's java comes last, for machines without one on PATH.
        path = path + File.pathSeparator + Path.of(System.getProperty("java.home"), "bin");
        if (binDir != null) {
            path = binDir + File.pathSeparator + path;
            env.put("JCASYNC_CLASSPATH", System.getProperty("java.class.path"));
        }
        env.put("PATH", path);
    }

    /** A finished process: exit code, stdout and stderr. */
    record Result(int code, String out, String err) {
        Result assertOk(String what) {
            assertTrue(code == 0, what + " exited " + code + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }

        /** Whether stderr or stdout shows a Java stack trace or an exception's class name. */
        boolean showsJavaTrace() {
            String all = out + err;
            return all.contains("\tat ")
                    || all.contains("Exception in thread")
                    || all.matches("(?s).*java\\.[a-z]+\\.[A-Za-z]+(Error|Exception).*");
        }
    }

    static Result run(List<String> command, Path workDir, Path binDir, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        environment(pb.environment(), binDir);
        if (extraEnv != null) {
            pb.environment().putAll(extraEnv);
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = Files.createTempFile("dropin-out", ".txt");
        Path err = Files.createTempFile("dropin-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Fails under CI=true, else skips, with the reason: for tests that need something the machine lacks. */
    static void require(boolean available, String reason) {
        if (!available && "true".equals(System.getenv("CI"))) {
            fail(reason + " (CI=true: this test must run)");
        }
        assumeTrue(available, reason);
    }

    /** The path of {@code name} on PATH, or null. */
    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
