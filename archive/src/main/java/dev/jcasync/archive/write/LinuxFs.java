package dev.jcasync.archive.write;

import static dev.jcasync.archive.Libc.*;

import com.sun.jna.Pointer;
import dev.jcasync.archive.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The Linux system calls the encoder needs and the JDK does not offer: file names as raw bytes
 * (any byte but NUL and '/', not necessarily UTF-8), directory-relative access, nanosecond
 * {@code statx}, extended attributes of every namespace (ACLs and capabilities are xattrs), inode
 * flags ({@code FS_IOC_GETFLAGS}), project ids and user/group names through NSS. The library and
 * the calls the extractor makes the same way are {@link Libc}'s; errors here name the node.
 */
final class LinuxFs {
    private LinuxFs() {}

    static IOException error(String what, byte[] path, int errno) {
        return new IOException(display(path) + ": " + what + ": " + describe(errno));
    }

    /** A path's bytes for messages: UTF-8 where valid, other bytes as \ooo. */
    static String display(byte[] path) {
        StringBuilder b = new StringBuilder();
        String s = new String(path, StandardCharsets.UTF_8);
        if (Arrays.equals(s.getBytes(StandardCharsets.UTF_8), path)) {
            return s;
        }
        for (byte x : path) {
            int v = x & 0xff;
            if (v < 0x20 || v >= 0x7f) {
                b.append(String.format("\\%03o", v));
            } else {
                b.append((char) v);
            }
        }
        return b.toString();
    }

    /** What {@code statx} says about a node (nanosecond times, raw device numbers). */
    record Stat(
            int mode,
            int uid,
            int gid,
            long size,
            long mtimeNanos,
            int rdevMajor,
            int rdevMinor,
            int devMajor,
            int devMinor,
            long inode,
            int nlink) {
        int type() {
            return mode & 0170000;
        }
    }

    /** statx of {@code name} relative to {@code dirfd}, not following a final symlink. */
    static Stat stat(int dirfd, byte[] name, byte[] display) throws IOException {
        byte[] buf = new byte[256];
        if (c().statx(dirfd, z(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) != 0) {
            throw error("cannot stat", display, errno());
        }
        return parseStatx(buf);
    }

    /** Like {@link #stat}, but null when {@code name} no longer exists (removed since it was listed). */
    static Stat statIfExists(int dirfd, byte[] name, byte[] display) throws IOException {
        byte[] buf = new byte[256];
        if (c().statx(dirfd, z(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf) != 0) {
            int e = errno();
            if (e == ENOENT) {
                return null;
            }
            throw error("cannot stat", display, e);
        }
        return parseStatx(buf);
    }

    /** statx of an open file descriptor. */
    static Stat fstat(int fd, byte[] display) throws IOException {
        byte[] buf = new byte[256];
        if (c().statx(fd, new byte[] {0}, AT_EMPTY_PATH, STATX_BASIC_STATS, buf) != 0) {
            throw error("cannot stat", display, errno());
        }
        return parseStatx(buf);
    }

    private static Stat parseStatx(byte[] b) {
        int nlink = i32(b, 16);
        int uid = i32(b, 20);
        int gid = i32(b, 24);
        int mode = (b[28] & 0xff) | (b[29] & 0xff) << 8;
        long ino = i64(b, 32);
        long size = i64(b, 40);
        long mtimeSec = i64(b, 112);
        long mtimeNsec = i32(b, 120) & 0xffffffffL;
        return new Stat(
                mode,
                uid,
                gid,
                size,
                mtimeSec * 1_000_000_000L + mtimeNsec,
                i32(b, 128),
                i32(b, 132),
                i32(b, 136),
                i32(b, 140),
                ino,
                nlink);
    }

    static long i64(byte[] b, int off) {
        return (i32(b, off) & 0xffffffffL) | ((long) i32(b, off + 4)) << 32;
    }

    static int open(int dirfd, byte[] name, int flags, byte[] display) throws IOException {
        int fd = c().openat(dirfd, z(name), flags | O_CLOEXEC | O_NOCTTY, 0);
        if (fd < 0) {
            throw error("cannot open", display, errno());
        }
        return fd;
    }

    /** Reads up to {@code len} bytes; 0 at end of file. */
    static int read(int fd, byte[] buf, int len, byte[] display) throws IOException {
        while (true) {
            long n = c().read(fd, buf, len);
            if (n >= 0) {
                return (int) n;
            }
            int e = errno();
            if (e != 4) { // EINTR
                throw error("cannot read", display, e);
            }
        }
    }

    static byte[] readlink(int dirfd, byte[] name, byte[] display) throws IOException {
        byte[] buf = new byte[4097];
        long n = c().readlinkat(dirfd, z(name), buf, buf.length);
        if (n < 0) {
            throw error("cannot read symlink", display, errno());
        }
        if (n >= buf.length) {
            throw new IOException(display(display) + ": symlink target too long");
        }
        return Arrays.copyOf(buf, (int) n);
    }

    /** The names of a directory's entries, without . and .. (in no particular order). */
    static List<byte[]> listDirectory(int dirfd, byte[] display) throws IOException {
        try {
            return names(dirfd);
        } catch (Failure f) {
            throw error("cannot read directory", display, f.errno);
        }
    }

    /** The names of an open file's extended attributes, or an empty list where there are none or none are supported. */
    static List<byte[]> listXattrs(int fd, byte[] display) throws IOException {
        return xattrs(fd, null, display);
    }

    static List<byte[]> listXattrs(byte[] path, byte[] display) throws IOException {
        return xattrs(-1, z(path), display);
    }

    private static List<byte[]> xattrs(int fd, byte[] zpath, byte[] display) throws IOException {
        try {
            return xattrNames(fd, zpath);
        } catch (Failure f) {
            if (f.errno == EBADF || f.errno == EPERM) { // an O_PATH descriptor, a file system that refuses
                return List.of();
            }
            throw error("cannot list extended attributes", display, f.errno);
        }
    }

    /** An extended attribute's value, or null if the node does not have it (or its file system cannot have it). */
    static byte[] getXattr(int fd, String name, byte[] display) throws IOException {
        return getXattr(fd, null, z(name), display);
    }

    static byte[] getXattr(int fd, byte[] name, byte[] display) throws IOException {
        return getXattr(fd, null, z(name), display);
    }

    static byte[] getXattr(byte[] path, String name, byte[] display) throws IOException {
        return getXattr(-1, z(path), z(name), display);
    }

    private static byte[] getXattr(int fd, byte[] zpath, byte[] zname, byte[] display) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = zpath == null ? c().fgetxattr(fd, zname, null, 0) : c().lgetxattr(zpath, zname, null, 0);
            if (n < 0) {
                int e = errno();
                if (e == ENODATA || e == ENOTSUP || e == ENOSYS || e == EPERM || e == EBADF) {
                    return null;
                }
                throw error(
                        "cannot read extended attribute "
                                + new String(zname, 0, zname.length - 1, StandardCharsets.UTF_8),
                        display,
                        e);
            }
            byte[] buf = new byte[(int) n];
            if (n == 0) {
                return buf;
            }
            long m = zpath == null ? c().fgetxattr(fd, zname, buf, n) : c().lgetxattr(zpath, zname, buf, n);
            if (m < 0) {
                int e = errno();
                if (e == ERANGE && attempt < 8) {
                    continue;
                }
                if (e == ENODATA) {
                    return null;
                }
                throw error("cannot read extended attribute", display, e);
            }
            return m == n ? buf : Arrays.copyOf(buf, (int) m);
        }
    }

    /** The inode flags ({@code FS_IOC_GETFLAGS}), 0 where the file system has none. */
    static int inodeFlags(int fd, byte[] display) throws IOException {
        byte[] arg = new byte[8];
        if (c().ioctl(fd, FS_IOC_GETFLAGS, arg) != 0) {
            int e = errno();
            if (e == ENOTTY || e == ENOTSUP || e == EINVAL || e == ENOSYS || e == EBADF) {
                return 0;
            }
            throw error("cannot read inode flags", display, e);
        }
        return i32(arg, 0);
    }

    /** The project id ({@code FS_IOC_FSGETXATTR}), 0 where the file system has none. */
    static long projectId(int fd, byte[] display) throws IOException {
        byte[] arg = new byte[28];
        if (c().ioctl(fd, FS_IOC_FSGETXATTR, arg) != 0) {
            int e = errno();
            if (e == ENOTTY || e == ENOTSUP || e == EINVAL || e == ENOSYS || e == EBADF) {
                return 0;
            }
            throw error("cannot read project id", display, e);
        }
        return i32(arg, 12) & 0xffffffffL;
    }

    /** The user name NSS gives {@code uid}, or null. */
    static byte[] userName(int uid) throws IOException {
        Pointer p = c().getpwuid(uid);
        return p == null ? null : firstString(p);
    }

    /** The group name NSS gives {@code gid}, or null. */
    static byte[] groupName(int gid) throws IOException {
        Pointer p = c().getgrgid(gid);
        return p == null ? null : firstString(p);
    }

    private static byte[] firstString(Pointer struct) {
        Pointer name = struct.getPointer(0); // pw_name / gr_name is the first member
        if (name == null) {
            return null;
        }
        long len = name.indexOf(0, (byte) 0);
        return name.getByteArray(0, (int) len);
    }
}
