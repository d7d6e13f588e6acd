package dev.jcasync.archive.read;

/**
 * What {@link CatarReader#next} read: a directory entered (its metadata read, its children
 * follow), a directory left (its GOODBYE checked), or any other node, read whole except a regular
 * file's contents, which {@link CatarReader#payload} streams.
 */
public record CatarEvent(Type type, CatarNode node) {
    public enum Type {
        /** A directory's ENTRY and metadata; its children follow, then {@link #LEAVE}. */
        ENTER,
        /** The end of a directory (the same node as its ENTER). */
        LEAVE,
        /** A node without children: file, symlink, device, FIFO or socket. */
        NODE
    }
}
