package dev.jcasync.store;

import java.io.IOException;

/**
 * A store backend that {@link Stores} finds with {@link java.util.ServiceLoader}: a module
 * registers its implementation in {@code META-INF/services/dev.jcasync.store.StoreProvider}, and
 * having it on the class path is all it takes for {@link Stores#open} to open its locations
 * (store-http registers {@code http://} and {@code https://}).
 */
public interface StoreProvider {
    /** True if this provider handles {@code location} (usually: a URL with one of its schemes). */
    boolean accepts(String location);

    /** The locations this provider handles, for messages, e.g. {@code http(s)://}. */
    String description();

    /**
     * Opens the store at {@code location}.
     *
     * @throws IllegalArgumentException if {@code location} or an option is malformed
     * @throws IOException if the store cannot be set up (for example a TLS file cannot be read)
     */
    ChunkStore open(String location, RemoteOptions options) throws IOException;

    /** Reads the whole file at {@code location} (an index). */
    byte[] readFile(String location, RemoteOptions options) throws IOException;
}
