package dev.jcasync.chunker;

import java.util.Locale;

/**
 * The min/avg/max chunk size parameters of an index, and the boundary discriminator derived from
 * them exactly as casync does (docs/format.md 2.2, 2.3).
 */
public record ChunkSizes(int min, int avg, int max) {
    public static final int LIMIT = 128 * 1024 * 1024;
    public static final ChunkSizes DEFAULT = new ChunkSizes(16384, 65536, 262144);

    public ChunkSizes {
        if (min < 1 || max > LIMIT || min > avg || avg > max) {
            throw new IllegalArgumentException("invalid chunk sizes " + min + ":" + avg + ":" + max
                    + " (need 1 <= min <= avg <= max <= " + LIMIT + ")");
        }
    }

    /** Builds sizes from untrusted 64-bit header values, failing on anything out of range. */
    public static ChunkSizes of(long min, long avg, long max) {
        if (min < 1 || avg < 1 || max < 1 || min > LIMIT || avg > LIMIT || max > LIMIT) {
            throw new IllegalArgumentException("invalid chunk sizes " + Long.toUnsignedString(min) + ":"
                    + Long.toUnsignedString(avg) + ":" + Long.toUnsignedString(max));
        }
        return new ChunkSizes((int) min, (int) avg, (int) max);
    }

    /**
     * Parses casync's {@code --chunk-size} value: {@code auto}, {@code AVG} (min = AVG/4,
     * max = AVG*4) or {@code MIN:AVG:MAX}, numbers with optional K/M/G... binary suffixes.
     */
    public static ChunkSizes parse(String spec) {
        if (spec == null || spec.equals("auto")) {
            return DEFAULT;
        }
        String[] parts = spec.split(":", -1);
        if (parts.length == 1) {
            long avg = parseSize(parts[0]);
            if (avg < 1 || avg > LIMIT) {
                throw new IllegalArgumentException("chunk size " + spec + " out of range 1.." + LIMIT);
            }
            return new ChunkSizes((int) Math.max(1, avg / 4), (int) avg, (int) Math.min(avg * 4, LIMIT));
        }
        if (parts.length == 3) {
            return of(parseSize(parts[0]), parseSize(parts[1]), parseSize(parts[2]));
        }
        throw new IllegalArgumentException("invalid chunk size '" + spec + "' (expected AVG or MIN:AVG:MAX)");
    }

    /** A byte count such as {@code 4096}, {@code 16K}, {@code 1.5M} or {@code 8B}. */
    public static long parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        long factor = 1;
        if (!s.isEmpty()) {
            int exp = "BKMGTPE".indexOf(s.charAt(s.length() - 1));
            if (exp >= 0) {
                factor = 1L << (10 * exp);
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            if (!s.matches("[0-9]+(\\.[0-9]+)?")) {
                throw new NumberFormatException();
            }
            double value = Double.parseDouble(s) * factor;
            if (value >= Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid size '" + text + "'");
        }
    }

    /** min == avg == max: chunks are cut at fixed offsets without hashing. */
    public boolean isFixed() {
        return min == avg && avg == max;
    }

    /** casync's modulus for the boundary test, clamped to [min, max] (docs/format.md 2.3). */
    public int discriminator() {
        double a = avg;
        double denominator = (-1.42888852e-7 * a) + 1.33237515;
        if (denominator <= 0) {
            return max;
        }
        double q = a / denominator;
        if (q > max) {
            return max;
        }
        long d = (long) q;
        return (int) Math.max(min, Math.min(max, d));
    }

    /** Formats as {@code MIN:AVG:MAX}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return min + ":" + avg + ":" + max;
    }
}
