package dev.jcasync.archive.write;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A tree the encoder walks: a real directory ({@link DirectorySource}) or the tree a tar would
 * extract to ({@link TarSource}). The encoder asks each node what the file system would say, and
 * keeps every rule of what is stored and how (ordering, flags, exclusions) to itself.
 */
public interface TreeSource {
    /** The root; it must be a directory. */
    Node root() throws IOException;

    /** The name shown in errors for the root. */
    byte[] rootDisplay();

    /** One file of the tree; closing it releases what opening it took. */
    interface Node extends Closeable {
        /** Metadata as lstat would report it (for the root: stat, following a symlink). */
        LinuxFs.Stat stat();

        /** Inode flags (FS_IOC_GETFLAGS) of a regular file or directory; 0 where there are none. */
        int inodeFlags() throws IOException;

        /** Project id (FS_IOC_FSGETXATTR) of a regular file or directory; 0 where there is none. */
        long projectId() throws IOException;

        /** The names of the extended attributes of a regular file or directory. */
        List<byte[]> xattrNames() throws IOException;

        /** One extended attribute's value, or null when there is none. */
        byte[] xattr(byte[] name) throws IOException;

        /** A symlink's target. */
        byte[] readlink() throws IOException;

        /** Reads a regular file's contents, in order; 0 at end of file. */
        int read(byte[] buf, int len) throws IOException;

        /** The names in a directory (without . and ..), in any order. */
        List<byte[]> list() throws IOException;

        /** A child's metadata, or null when it no longer exists. */
        LinuxFs.Stat childStat(byte[] name, byte[] display) throws IOException;

        /** Opens a child that {@link #childStat} reported, without following a symlink. */
        Node open(byte[] name, LinuxFs.Stat stat, byte[] display) throws IOException;
    }
}
