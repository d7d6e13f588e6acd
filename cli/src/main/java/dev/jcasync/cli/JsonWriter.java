package dev.jcasync.cli;

import java.io.PrintWriter;

/**
 * A minimal streaming JSON writer for {@code --json} output: compact, one document per command,
 * no dependency. Callers keep the structure balanced; the writer places commas and escapes strings.
 */
final class JsonWriter {
    private final PrintWriter out;
    /** A value has been written in the current container, so the next one needs a comma. */
    private boolean comma;

    JsonWriter(PrintWriter out) {
        this.out = out;
    }

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    /** The key of the next value in an object. */
    JsonWriter name(String name) {
        separate();
        string(name);
        out.print(':');
        comma = false;
        return this;
    }

    JsonWriter value(String s) {
        separate();
        if (s == null) {
            out.print("null");
        } else {
            string(s);
        }
        comma = true;
        return this;
    }

    JsonWriter value(long n) {
        return raw(Long.toString(n));
    }

    /** A number, or null when unknown. */
    JsonWriter value(Long n) {
        return raw(n == null ? "null" : n.toString());
    }

    JsonWriter value(boolean b) {
        return raw(Boolean.toString(b));
    }

    JsonWriter nullValue() {
        return raw("null");
    }

    JsonWriter field(String name, String s) {
        return name(name).value(s);
    }

    JsonWriter field(String name, long n) {
        return name(name).value(n);
    }

    JsonWriter field(String name, Long n) {
        return name(name).value(n);
    }

    JsonWriter field(String name, boolean b) {
        return name(name).value(b);
    }

    /** Ends the document with a newline. */
    void finish() {
        out.println();
        out.flush();
    }

    private JsonWriter open(char bracket) {
        separate();
        out.print(bracket);
        comma = false;
        return this;
    }

    private JsonWriter close(char bracket) {
        out.print(bracket);
        comma = true;
        return this;
    }

    private JsonWriter raw(String literal) {
        separate();
        out.print(literal);
        comma = true;
        return this;
    }

    private void separate() {
        if (comma) {
            out.print(',');
        }
    }

    private void string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        out.print(sb.append('"'));
    }
}
