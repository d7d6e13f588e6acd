package dev.jcasync.serve;

/** One byte range of a {@code Range} header (RFC 9110 14.2); several ranges are answered with the whole file. */
final class Ranges {
    /** The header names bytes, but none of them exist. */
    static final long[] UNSATISFIABLE = new long[0];

    private Ranges() {}

    /**
     * The first and last byte of the one range {@code header} asks for in a file of {@code size}
     * bytes; {@link #UNSATISFIABLE}; or null to ignore the header (malformed, several ranges, not bytes).
     */
    static long[] parse(String header, long size) {
        String value = header.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = value.substring(6).trim();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                // A suffix: the last N bytes.
                long n = digits(last);
                if (n < 0) {
                    return null;
                }
                if (n == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new long[] {Math.max(0, size - n), size - 1};
            }
            long start = digits(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : digits(last);
            if (start < 0 || end < 0 || end < start) {
                return null;
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return new long[] {start, Math.min(end, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A non-negative decimal number, or -1 if {@code s} is not one. */
    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }
}
