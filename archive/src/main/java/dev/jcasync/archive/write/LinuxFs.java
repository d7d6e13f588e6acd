package dev.jcasync.archive.write;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Linux system calls the encoder needs and the JDK does not offer: file names as raw bytes
 * (any byte but NUL and '/', not necessarily UTF-8), directory-relative access, nanosecond
 * {@code statx}, extended attributes of every namespace (ACLs and capabilities are xattrs), inode
 * flags ({@code FS_IOC_GETFLAGS}), project ids and user/group names through NSS. Every structure
 * read here has the same layout on every 64-bit Linux (statx, dirent64, fsxattr).
 */
final class LinuxFs {
    private LinuxFs() {}

    interface LibC extends Library {
        int openat(int dirfd, byte[] path, int flags, int mode);

        int close(int fd);

        long read(int fd, byte[] buf, long count);

        int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf);

        long readlinkat(int dirfd, byte[] path, byte[] buf, long size);

        long flistxattr(int fd, byte[] list, long size);

        long fgetxattr(int fd, byte[] name, byte[] value, long size);

        long llistxattr(byte[] path, byte[] list, long size);

        long lgetxattr(byte[] path, byte[] name, byte[] value, long size);

        int ioctl(int fd, long request, byte[] arg);

        int dup(int fd);

        Pointer fdopendir(int fd);

        Pointer readdir(Pointer dir);

        int closedir(Pointer dir);

        Pointer getpwuid(int uid);

        Pointer getgrgid(int gid);

        String strerror(int errnum);
    }

    private static volatile LibC libc;

    static LibC c() throws IOException {
        LibC l = libc;
        if (l == null) {
            if (!Platform.isLinux() || !Platform.is64Bit()) {
                throw new IOException("directory archives need 64-bit Linux");
            }
            try {
                l = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
            } catch (UnsatisfiedLinkError e) {
                throw new IOException("cannot load the C library: " + e.getMessage(), e);
            }
            libc = l;
        }
        return l;
    }

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int O_RDONLY = 0;
    static final int O_NOCTTY = 0x100;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    private static final boolean ARM = Platform.ARCH.startsWith("aarch64") || Platform.ARCH.startsWith("arm");
    static final int O_DIRECTORY = ARM ? 0x4000 : 0x10000;
    static final int O_NOFOLLOW = ARM ? 0x8000 : 0x20000;
    static final int STATX_BASIC_STATS = 0x7ff;
    static final long FS_IOC_GETFLAGS = 0x80086601L;
    static final long FS_IOC_FSGETXATTR = 0x801c581fL;

    static final int ENOENT = 2;
    static final int ENODATA = 61;
    static final int ERANGE = 34;
    static final int ENOTSUP = 95;
    static final int ENOTTY = 25;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int EBADF = 9;
    static final int EPERM = 1;
    static final int EACCES = 13;

    static int errno() {
        return Native.getLastError();
    }

    static String describe(int errno) {
        try {
            return c().strerror(errno);
        } catch (IOException e) {
            return "errno " + errno;
        }
    }

    static IOException error(String what, byte[] path, int errno) {
        return new IOException(display(path) + ": " + what + ": " + describe(errno));
    }

    /** A NUL-terminated copy of {@code s}. */
    static byte[] z(byte[] s) {
        return Arrays.copyOf(s, s.length + 1);
    }

    static byte[] z(String s) {
        return z(s.getBytes(StandardCharsets.UTF_8));
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

    static int i32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
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

    static void close(int fd) {
        try {
            c().close(fd);
        } catch (IOException e) {
            // nothing to do: the library loaded when the descriptor was opened
        }
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
        int fd = c().dup(dirfd);
        if (fd < 0) {
            throw error("cannot read directory", display, errno());
        }
        Pointer dir = c().fdopendir(fd);
        if (dir == null) {
            int e = errno();
            close(fd);
            throw error("cannot read directory", display, e);
        }
        List<byte[]> out = new ArrayList<>();
        try {
            // the duplicate shares its position with dirfd, which nothing else reads
            while (true) {
                // errno cannot tell the end from an error here (JNA's own calls may set it in
                // between), so null ends the listing
                Pointer ent = c().readdir(dir);
                if (ent == null) {
                    break;
                }
                // struct dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[] at 19
                int reclen = ent.getShort(16) & 0xffff;
                byte[] name = ent.getByteArray(19, Math.max(0, Math.min(256, reclen - 19)));
                int len = 0;
                while (len < name.length && name[len] != 0) {
                    len++;
                }
                if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.')) {
                    continue;
                }
                out.add(Arrays.copyOf(name, len));
            }
        } finally {
            c().closedir(dir);
        }
        return out;
    }

    /** The names of an open file's extended attributes, or an empty list where there are none or none are supported. */
    static List<byte[]> listXattrs(int fd, byte[] display) throws IOException {
        return splitNames(fd, null, display);
    }

    static List<byte[]> listXattrs(byte[] path, byte[] display) throws IOException {
        return splitNames(-1, path, display);
    }

    private static List<byte[]> splitNames(int fd, byte[] path, byte[] display) throws IOException {
        byte[] zpath = path == null ? null : z(path);
        for (int attempt = 0; ; attempt++) {
            long n = path == null ? c().flistxattr(fd, null, 0) : c().llistxattr(zpath, null, 0);
            if (n < 0) {
                int e = errno();
                if (e == ENOTSUP || e == ENOSYS || e == EBADF || e == EPERM) {
                    return List.of();
                }
                throw error("cannot list extended attributes", display, e);
            }
            if (n == 0) {
                return List.of();
            }
            byte[] buf = new byte[(int) n];
            long m = path == null ? c().flistxattr(fd, buf, n) : c().llistxattr(zpath, buf, n);
            if (m < 0) {
                int e = errno();
                if (e == ERANGE && attempt < 8) {
                    continue; // grew in between
                }
                throw error("cannot list extended attributes", display, e);
            }
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < m; i++) {
                if (buf[i] == 0) {
                    if (i > start) {
                        out.add(Arrays.copyOfRange(buf, start, i));
                    }
                    start = i + 1;
                }
            }
            return out;
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
