package dev.jcasync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Deterministic inputs for differential tests: random, text-like, and mixed structured blobs. */
final class TestData {
    private TestData() {}

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Compressible text from a small alphabet. */
    static byte[] text(long seed, int size) {
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz    .\n".getBytes();
        byte[] b = random(seed, size);
        for (int i = 0; i < size; i++) {
            b[i] = alphabet[b[i] & 31];
        }
        return b;
    }

    /** Like a disk image: random extents, long zero runs, repeated blocks and small edits. */
    static byte[] mixed(long seed, int size) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        byte[] block = random(seed + 1, 100_000);
        int at = 0;
        while (at < size) {
            int len = Math.min(size - at, 1 + r.nextInt(700_000));
            switch (r.nextInt(4)) {
                case 0 -> {} // zeros
                case 1 -> {
                    for (int i = 0; i < len; i += block.length) {
                        System.arraycopy(block, 0, b, at + i, Math.min(block.length, len - i));
                    }
                    b[at + r.nextInt(len)] ^= 1;
                }
                default -> {
                    byte[] rnd = random(r.nextLong(), len);
                    System.arraycopy(rnd, 0, b, at, len);
                }
            }
            at += len;
        }
        return b;
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }
}
