package dev.jcasync.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The build's training run for the class archive (the launcher with {@code JCASYNC_TRAIN=1}, run
 * by cli/pom.xml): the common small jobs, each once, in one JVM, so that the archive holds the
 * classes (and, on Java 25, the profiles) they need. Fails if a job fails.
 */
final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("jcasync-training");
        try {
            Path image = dir.resolve("image.img");
            Files.write(image, image(4 << 20));
            String store = dir.resolve("store.castr").toString();
            String index = dir.resolve("image.caibx").toString();
            run("--version");
            run("make", "--store=" + store, index, image.toString());
            run("list", index);
            run("info", "--store=" + store, index);
            run("digest", image.toString());
            run("digest", "--store=" + store, index);
            run("extract", "--store=" + store, index, dir.resolve("out.img").toString());
            run(
                    "extract",
                    "--store=" + store,
                    "--seed=" + image,
                    index,
                    dir.resolve("seeded.img").toString());
            run("verify", "--store=" + store);
            run("mtree", dir.resolve("store.castr").toString());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Random data with runs of zeros and a repeated stretch, as images have. */
    private static byte[] image(int size) {
        byte[] data = new byte[size];
        new SplittableRandom(14).nextBytes(data);
        java.util.Arrays.fill(data, size / 4, size / 4 + (256 << 10), (byte) 0);
        System.arraycopy(data, 0, data, size / 2, 512 << 10);
        return data;
    }

    private static void run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(OutputStream.nullOutputStream(), true), new PrintWriter(err));
        if (code != 0) {
            throw new IllegalStateException("training: jcasync " + String.join(" ", args) + " failed: " + err);
        }
    }
}
