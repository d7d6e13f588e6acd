package dev.jcasync.serve;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request path naming one index file at the top of the store: exactly {@code /<name>.caibx} or
 * {@code /<name>.caidx}, one path segment of letters, digits, {@code .}, {@code _} and {@code -}
 * that does not start with a dot. No escapes, no slashes: no request names anything else.
 */
record IndexPath(String name) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}\\.ca(ibx|idx)");

    static Optional<IndexPath> parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        String name = rawPath.substring(1);
        return NAME.matcher(name).matches() ? Optional.of(new IndexPath(name)) : Optional.empty();
    }

    Path file(Path root) {
        return root.resolve(name);
    }
}
