package dev.jcasync.archive.read;

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
 * The Linux system calls the extractor needs and the JDK does not offer: every call takes a
 * directory descriptor and a name of raw bytes (any byte but NUL and '/', not necessarily UTF-8),
 * so a tree is made one checked component at a time and no link inside it is followed; extended
 * attributes of every namespace (ACLs, capabilities and SELinux labels are xattrs); inode flags;
 * nanosecond times on any node type; user and group lookups through NSS.
 */
final class PosixFs {
    private PosixFs() {}

    interface LibC extends Library {
        int openat(int dirfd, byte[] path, int flags, int mode);

        int close(int fd);

        int mkdirat(int dirfd, byte[] path, int mode);

        int mknodat(int dirfd, byte[] path, int mode, long dev);

        int symlinkat(byte[] target, int dirfd, byte[] path);

        int renameat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath);

        int unlinkat(int dirfd, byte[] path, int flags);

        int fchownat(int dirfd, byte[] path, int uid, int gid, int flags);

        int fchmodat(int dirfd, byte[] path, int mode, int flags);

        int fchmod(int fd, int mode);

        int fchown(int fd, int uid, int gid);

        int futimens(int fd, long[] times);

        int utimensat(int dirfd, byte[] path, long[] times, int flags);

        long pwrite(int fd, Pointer buf, long count, long offset);

        int ftruncate(int fd, long length);

        int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf);

        int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags);

        int lremovexattr(byte[] path, byte[] name);

        long llistxattr(byte[] path, byte[] list, long size);

        int ioctl(int fd, long request, byte[] arg);

        int ioctl(int fd, long request, long arg);

        int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

        int dup(int fd);

        Pointer fdopendir(int fd);

        Pointer readdir(Pointer dir);

        int closedir(Pointer dir);

        Pointer getpwnam(byte[] name);

        Pointer getgrnam(byte[] name);

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

    private static final boolean ARM = Platform.ARCH.startsWith("aarch64") || Platform.ARCH.startsWith("arm");
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_DIRECTORY = ARM ? 040000 : 0200000;
    static final int O_NOFOLLOW = ARM ? 0100000 : 0400000;
    static final int STATX_BASIC_STATS = 0x7ff;
    static final long UTIME_OMIT = (1L << 30) - 2;
    static final long FS_IOC_GETFLAGS = 0x80086601L;
    static final long FS_IOC_SETFLAGS = 0x40086602L;
    static final long FS_IOC_FSGETXATTR = 0x801c581fL;
    static final long FS_IOC_FSSETXATTR = 0x401c5820L;
    static final long FAT_IOCTL_SET_ATTRIBUTES = 0x40047211L;
    /** _IOW(0x94, 9, int): the whole-file form of FICLONERANGE. */
    static final long FICLONE = 0x40049409L;

    static final int FS_IMMUTABLE_FL = 0x10;
    static final int FS_APPEND_FL = 0x20;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ENOSYS = 38;
    static final int ENODATA = 61;
    static final int ENOTSUP = 95;

    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;

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

    /** A NUL-terminated copy of {@code s}. */
    static byte[] z(byte[] s) {
        return Arrays.copyOf(s, s.length + 1);
    }

    /** The path that reaches {@code name} in the directory open as {@code dirfd} without following it. */
    static byte[] procPath(int dirfd, byte[] name) {
        byte[] prefix = ("/proc/self/fd/" + dirfd + "/").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + name.length + 1);
        System.arraycopy(name, 0, out, prefix.length, name.length);
        return out;
    }

    /** A failed call: the errno, and a message the caller completes with the node it was about. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        Failure(String what, int errno) {
            super(what + ": " + describe(errno));
            this.errno = errno;
        }
    }

    static void check(int result, String what) throws Failure {
        if (result < 0) {
            throw new Failure(what, errno());
        }
    }

    static int openat(int dirfd, byte[] name, int flags, int mode) throws Failure, IOException {
        while (true) {
            int fd = c().openat(dirfd, z(name), flags | O_CLOEXEC | O_NOCTTY, mode);
            if (fd >= 0) {
                return fd;
            }
            int e = errno();
            if (e != EINTR) {
                throw new Failure("cannot open", e);
            }
        }
    }

    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            c().close(fd);
        } catch (IOException e) {
            // the library loaded when the descriptor was opened
        }
    }

    /** The file type bits of {@code name} in {@code dirfd} (not following it), or 0 if it does not exist. */
    static int typeOf(int dirfd, byte[] name) throws IOException {
        return modeOf(dirfd, name, AT_SYMLINK_NOFOLLOW) & S_IFMT;
    }

    /**
     * st_mode of {@code name} in {@code dirfd} (with {@code AT_EMPTY_PATH} and an empty name: of
     * {@code dirfd} itself), or 0 if it does not exist.
     */
    static int modeOf(int dirfd, byte[] name, int flags) throws IOException {
        byte[] buf = new byte[256];
        if (c().statx(dirfd, z(name), flags, STATX_BASIC_STATS, buf) != 0) {
            int e = errno();
            if (e == ENOENT) {
                return 0;
            }
            throw new Failure("cannot stat", e);
        }
        return (buf[28] & 0xff) | (buf[29] & 0xff) << 8;
    }

    private static int i32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** Writes {@code len} bytes of native memory at {@code offset} of the file. */
    static void pwriteFully(int fd, Pointer buf, long len, long offset) throws IOException {
        long done = 0;
        while (done < len) {
            long n = c().pwrite(fd, buf.share(done), len - done, offset + done);
            if (n < 0) {
                int e = errno();
                if (e == EINTR) {
                    continue;
                }
                throw new Failure("cannot write", e);
            }
            done += n;
        }
    }

    /** The names in a directory, without . and .. (in no particular order). */
    static List<byte[]> list(int dirfd) throws IOException {
        int fd = c().dup(dirfd);
        check(fd, "cannot read directory");
        Pointer dir = c().fdopendir(fd);
        if (dir == null) {
            int e = errno();
            close(fd);
            throw new Failure("cannot read directory", e);
        }
        List<byte[]> out = new ArrayList<>();
        try {
            // rewinddir is not needed: nothing else reads this descriptor's position before
            while (true) {
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

    /** The names of a node's extended attributes (the path is not followed). */
    static List<byte[]> listXattrs(byte[] zpath) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = c().llistxattr(zpath, null, 0);
            if (n < 0) {
                int e = errno();
                if (e == ENOTSUP || e == ENOSYS) {
                    return List.of();
                }
                throw new Failure("cannot list extended attributes", e);
            }
            if (n == 0) {
                return List.of();
            }
            byte[] buf = new byte[(int) n];
            long m = c().llistxattr(zpath, buf, n);
            if (m < 0) {
                if (errno() == 34 && attempt < 8) { // ERANGE: grew in between
                    continue;
                }
                throw new Failure("cannot list extended attributes", errno());
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

    static void setXattr(byte[] zpath, byte[] name, byte[] value) throws IOException {
        check(c().lsetxattr(zpath, z(name), value, value.length, 0), "cannot set extended attribute " + text(name));
    }

    /** Removes an extended attribute; one that is not there is no error. */
    static void removeXattr(byte[] zpath, byte[] name) throws IOException {
        if (c().lremovexattr(zpath, z(name)) != 0) {
            int e = errno();
            if (e != ENODATA && e != ENOTSUP) {
                throw new Failure("cannot remove extended attribute " + text(name), e);
            }
        }
    }

    static int getFlags(int fd) throws IOException {
        byte[] arg = new byte[8];
        check(c().ioctl(fd, FS_IOC_GETFLAGS, arg), "cannot read inode flags");
        return i32(arg, 0);
    }

    static void setFlags(int fd, int flags) throws IOException {
        byte[] arg = new byte[8];
        arg[0] = (byte) flags;
        arg[1] = (byte) (flags >>> 8);
        arg[2] = (byte) (flags >>> 16);
        arg[3] = (byte) (flags >>> 24);
        check(c().ioctl(fd, FS_IOC_SETFLAGS, arg), "cannot set inode flags");
    }

    /**
     * Makes the empty file open as {@code dst} a copy-on-write clone of {@code src} (btrfs, XFS with
     * reflink, bcachefs, OCFS2, within one file system); false where the file system cannot.
     */
    static boolean cloneFile(int dst, int src) throws IOException {
        return c().ioctl(dst, FICLONE, src) == 0;
    }

    static void setProjectId(int fd, long projid) throws IOException {
        byte[] arg = new byte[28];
        check(c().ioctl(fd, FS_IOC_FSGETXATTR, arg), "cannot read project id");
        arg[12] = (byte) projid;
        arg[13] = (byte) (projid >>> 8);
        arg[14] = (byte) (projid >>> 16);
        arg[15] = (byte) (projid >>> 24);
        check(c().ioctl(fd, FS_IOC_FSSETXATTR, arg), "cannot set project id");
    }

    static void setFatAttributes(int fd, int attrs) throws IOException {
        byte[] arg = new byte[4];
        arg[0] = (byte) attrs;
        check(c().ioctl(fd, FAT_IOCTL_SET_ATTRIBUTES, arg), "cannot set FAT attributes");
    }

    /** The uid NSS gives the user {@code name}, or -1 if there is none. */
    static long uidOf(byte[] name) throws IOException {
        Pointer p = c().getpwnam(z(name));
        return p == null ? -1 : p.getInt(Native.POINTER_SIZE * 2L) & 0xffffffffL; // pw_name, pw_passwd, pw_uid
    }

    /** The gid NSS gives the group {@code name}, or -1 if there is none. */
    static long gidOf(byte[] name) throws IOException {
        Pointer p = c().getgrnam(z(name));
        return p == null ? -1 : p.getInt(Native.POINTER_SIZE * 2L) & 0xffffffffL; // gr_name, gr_passwd, gr_gid
    }

    private static String text(byte[] name) {
        return CatarPrinter.escape(name);
    }
}
