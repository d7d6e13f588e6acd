package dev.jcasync.archive.write;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The patterns of one {@code .caexclude} file, as casync applies them (docs/catar.md 6.1): one
 * fnmatch glob per line; empty lines and lines starting with {@code #} are ignored; {@code !}
 * in front makes an exception (an entry any exception matches is kept, whatever the order); a
 * pattern with a {@code /} is matched against the path relative to the directory holding the
 * file, one without against the entry's name, at any depth below it; a {@code /} at the end
 * matches directories only.
 */
final class ExcludeFile {
    private record Pattern(byte[] glob, boolean negated, boolean anchored, boolean dirOnly) {}

    /** The path (relative to the archive root) of the directory that holds the file; empty for the root. */
    final byte[] base;

    private final List<Pattern> patterns = new ArrayList<>();

    ExcludeFile(byte[] base, byte[] content) {
        this.base = base;
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                add(Arrays.copyOfRange(content, start, i));
                start = i + 1;
            }
        }
    }

    private void add(byte[] line) {
        if (line.length == 0 || line[0] == '#') {
            return;
        }
        boolean negated = line[0] == '!';
        byte[] p = negated ? Arrays.copyOfRange(line, 1, line.length) : line;
        boolean dirOnly = p.length > 0 && p[p.length - 1] == '/';
        boolean anchored = false;
        for (byte b : p) {
            anchored |= b == '/';
        }
        int from = 0;
        int to = p.length;
        while (from < to && p[from] == '/') {
            from++;
        }
        while (to > from && p[to - 1] == '/') {
            to--;
        }
        if (from == to) {
            return;
        }
        patterns.add(new Pattern(Arrays.copyOfRange(p, from, to), negated, anchored, dirOnly));
    }

    /**
     * Whether this file says to leave out the entry at {@code rel} (relative to the archive root,
     * below {@link #base}): null if no pattern matches, else true (excluded) or false (an exception
     * matched).
     */
    Boolean decide(byte[] rel, byte[] name, boolean directory) {
        byte[] fromBase = base.length == 0 ? rel : Arrays.copyOfRange(rel, base.length + 1, rel.length);
        Boolean result = null;
        for (Pattern p : patterns) {
            if (p.dirOnly() && !directory) {
                continue;
            }
            boolean match = p.anchored() ? fnmatch(p.glob(), 0, fromBase, 0) : fnmatch(p.glob(), 0, name, 0);
            if (match) {
                if (p.negated()) {
                    return false;
                }
                result = true;
            }
        }
        return result;
    }

    /** fnmatch(3) with FNM_PATHNAME: * ? [...] do not match '/'; backslash escapes. */
    static boolean fnmatch(byte[] p, int pi, byte[] s, int si) {
        while (pi < p.length) {
            byte c = p[pi];
            if (c == '*') {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                if (pi == p.length) {
                    for (int i = si; i < s.length; i++) {
                        if (s[i] == '/') {
                            return false;
                        }
                    }
                    return true;
                }
                for (int i = si; i <= s.length; i++) {
                    if (fnmatch(p, pi, s, i)) {
                        return true;
                    }
                    if (i < s.length && s[i] == '/') {
                        return false;
                    }
                }
                return false;
            }
            if (si >= s.length) {
                return false;
            }
            if (c == '?') {
                if (s[si] == '/') {
                    return false;
                }
                pi++;
                si++;
            } else if (c == '[') {
                int end = classEnd(p, pi);
                if (end < 0) { // no closing bracket: a literal '['
                    if (s[si] != '[') {
                        return false;
                    }
                    pi++;
                    si++;
                    continue;
                }
                if (s[si] == '/' || !inClass(p, pi + 1, end, s[si] & 0xff)) {
                    return false;
                }
                pi = end + 1;
                si++;
            } else {
                if (c == '\\' && pi + 1 < p.length) {
                    pi++;
                    c = p[pi];
                }
                if (s[si] != c) {
                    return false;
                }
                pi++;
                si++;
            }
        }
        return si == s.length;
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1. */
    private static int classEnd(byte[] p, int open) {
        int i = open + 1;
        if (i < p.length && (p[i] == '!' || p[i] == '^')) {
            i++;
        }
        if (i < p.length && p[i] == ']') {
            i++;
        }
        for (; i < p.length; i++) {
            if (p[i] == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean inClass(byte[] p, int from, int end, int c) {
        boolean negate = p[from] == '!' || p[from] == '^';
        int i = negate ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (i < end) {
            int lo = p[i] & 0xff;
            if (lo == ']' && !first) {
                break;
            }
            first = false;
            if (i + 2 < end && p[i + 1] == '-') {
                int hi = p[i + 2] & 0xff;
                found |= c >= lo && c <= hi;
                i += 3;
            } else {
                found |= c == lo;
                i++;
            }
        }
        return found != negate;
    }
}
