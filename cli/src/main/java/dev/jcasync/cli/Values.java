package dev.jcasync.cli;

import dev.jcasync.chunker.ChunkSizes;
import dev.jcasync.chunker.DigestAlgorithm;
import dev.jcasync.store.Compression;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for every option value that is not a plain string or path, so a bad value is
 * a usage error (exit 2, one line naming the option and the value) before any work starts.
 * Values are spelled as casync spells them; each message says what was expected.
 */
final class Values {
    private Values() {}

    /** The reason only: the message printed names the option and the value ({@link Main#usageMessage}). */
    private static TypeConversionException bad(String value, String expected) {
        return new TypeConversionException("expected " + expected);
    }

    /** casync's booleans (parse_boolean): 1/yes/y/true/t/on and 0/no/n/false/f/off, case-insensitive words. */
    static final class YesNo implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            Boolean b = parse(value);
            if (b == null) {
                throw bad(value, "yes or no");
            }
            return b;
        }

        static Boolean parse(String v) {
            String s = v.toLowerCase(Locale.ROOT);
            return switch (s) {
                case "1", "yes", "y", "true", "t", "on" -> Boolean.TRUE;
                case "0", "no", "n", "false", "f", "off" -> Boolean.FALSE;
                default -> null;
            };
        }
    }

    /** {@code --chunk-size}: auto, AVG or MIN:AVG:MAX with K/M/G suffixes (casync's rules, docs/format.md 2.2). */
    static final class Sizes implements ITypeConverter<ChunkSizes> {
        @Override
        public ChunkSizes convert(String value) {
            try {
                return ChunkSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw bad(value, "a chunk size AVG or MIN:AVG:MAX, e.g. 64K or 16K:64K:256K (" + e.getMessage() + ")");
            }
        }
    }

    /** {@code --digest}: sha512-256, sha256, or casync's {@code default} (sha512-256). */
    static final class Digest implements ITypeConverter<DigestAlgorithm> {
        @Override
        public DigestAlgorithm convert(String value) {
            if (value.equals("default")) {
                return DigestAlgorithm.SHA512_256;
            }
            try {
                return DigestAlgorithm.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw bad(value, "sha512-256, sha256 or default");
            }
        }
    }

    /** {@code --compression}: zstd, xz, gzip, casync's {@code default} (zstd), and jcasync's lz4 and none. */
    static final class Compressions implements ITypeConverter<Compression> {
        @Override
        public Compression convert(String value) {
            if (value.equals("default")) {
                return Compression.ZSTD;
            }
            try {
                return Compression.fromCliName(value);
            } catch (IllegalArgumentException e) {
                throw bad(value, "zstd, xz, gzip, lz4, none or default");
            }
        }
    }

    /** A byte count with casync's binary suffixes (K, M, G, ...), more than zero: {@code --rate-limit-bps}. */
    static final class PositiveSize implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long n;
            try {
                n = ChunkSizes.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw bad(value, "a number of bytes, e.g. 1000000 or 512K");
            }
            if (n <= 0) {
                throw bad(value, "more than 0");
            }
            return n;
        }
    }

    /** A count of at least 1: {@code --concurrency}, {@code --threads}. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw bad(value, "a whole number of at least 1");
            }
            if (n < 1) {
                throw bad(value, "at least 1");
            }
            return n;
        }
    }

    /** A duration: a number of seconds, or with s, m, h or d: {@code --grace}. */
    static final class Durations implements ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("(\\d{1,12})([smhd]?)");

        @Override
        public Duration convert(String value) {
            Matcher m = DURATION.matcher(value);
            if (!m.matches()) {
                throw bad(value, "a duration such as 0, 90s, 30m, 2h or 1d");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }

    /** {@code --progress}. */
    static final class ProgressModes implements ITypeConverter<Progress.Mode> {
        @Override
        public Progress.Mode convert(String value) {
            try {
                return Progress.Mode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(value, "auto, bar, plain or none");
            }
        }
    }

    /** {@code -l/--log-level}: a syslog level name or number, as casync reads it (0 emerg .. 7 debug). */
    static final class LogLevels implements ITypeConverter<Integer> {
        private static final String[][] NAMES = {
            {"emerg", "emergency", "0"}, {"alert", "1"}, {"crit", "critical", "2"}, {"err", "error", "3"},
            {"warn", "warning", "4"}, {"notice", "5"}, {"info", "6"}, {"debug", "7"},
        };

        @Override
        public Integer convert(String value) {
            for (int level = 0; level < NAMES.length; level++) {
                for (String name : NAMES[level]) {
                    if (name.equals(value)) {
                        return level;
                    }
                }
            }
            throw bad(value, "a log level: debug, info, notice, warning, err, crit, alert, emerg or 0-7");
        }
    }

    /** {@code --what}: what the input or output of a command is. */
    enum What {
        ARCHIVE,
        ARCHIVE_INDEX,
        BLOB,
        BLOB_INDEX,
        DIRECTORY,
        /** {@code --what=help}: print the selectors and exit. */
        HELP;

        String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** casync's answer to {@code --what=help}. */
        static final String HELP_TEXT = "Allowed --what= selectors:\narchive-index\nblob\nblob-index\ndirectory\n";
    }

    static final class Whats implements ITypeConverter<What> {
        @Override
        public What convert(String value) {
            for (What w : What.values()) {
                if (w.cliName().equals(value)) {
                    return w;
                }
            }
            throw bad(value, "archive, archive-index, blob, blob-index, directory or help");
        }
    }

    /**
     * An unsigned number as C's strtoull with base 0 reads it (casync's safe_atou64): leading
     * blanks, then decimal, 0x hex or 0 octal; -1 if it is not one (or does not fit 63 bits).
     */
    static long unsignedC(String value) {
        String s = value.stripLeading();
        int radix = 10;
        if (s.startsWith("0x") || s.startsWith("0X")) {
            radix = 16;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            s = s.substring(1);
        }
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
            return -1;
        }
        try {
            return Long.parseLong(s, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code --uid-shift}: a UID (0..2^32-2, not 65535) or a boolean, as casync. */
    static final class UidShift implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            long uid = unsignedC(value);
            if (uid >= 0 && uid <= 0xFFFFFFFEL && uid != 0xFFFF) {
                return value;
            }
            if (YesNo.parse(value) == null) {
                throw bad(value, "a UID or yes/no");
            }
            return value;
        }
    }

    /** {@code --uid-range}: 1..2^32 or a boolean, as casync. */
    static final class UidRange implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            long n = unsignedC(value);
            if (n >= 1 && n <= 0x1_0000_0000L) {
                return value;
            }
            if (YesNo.parse(value) == null) {
                throw bad(value, "a number of UIDs (1 to 4294967296) or yes/no");
            }
            return value;
        }
    }
}
