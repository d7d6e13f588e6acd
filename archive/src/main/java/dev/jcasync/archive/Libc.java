package dev.jcasync.archive;

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
 * The C library calls that reading a tree (the encoder) and making one (the extractor) need and
 * the JDK does not offer: names as raw bytes, directory-relative calls, {@code statx}, extended
 * attributes, inode ioctls, NSS. One loaded library and the calls both sides make the same way
 * (listing a directory, listing extended attributes); each side keeps its own error messages.
 * Every structure read here has the same layout on every 64-bit Linux (statx, dirent64, fsxattr).
 * Internal to the archive module.
 */
public final class Libc {
    private Libc() {}

    /** The functions, as JNA binds them. */
    public interface Calls extends Library {
        int openat(int dirfd, byte[] path, int flags, int mode);

        int close(int fd);

        long read(int fd, byte[] buf, long count);

        long pwrite(int fd, Pointer buf, long count, long offset);

        int ftruncate(int fd, long length);

        int mkdirat(int dirfd, byte[] path, int mode);

        int mknodat(int dirfd, byte[] path, int mode, long dev);

        int symlinkat(byte[] target, int dirfd, byte[] path);

        long readlinkat(int dirfd, byte[] path, byte[] buf, long size);

        int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags);

        int renameat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath);

        int unlinkat(int dirfd, byte[] path, int flags);

        int fchownat(int dirfd, byte[] path, int uid, int gid, int flags);

        int fchmodat(int dirfd, byte[] path, int mode, int flags);

        int fchmod(int fd, int mode);

        int fchown(int fd, int uid, int gid);

        int futimens(int fd, long[] times);

        int utimensat(int dirfd, byte[] path, long[] times, int flags);

        int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf);

        long flistxattr(int fd, byte[] list, long size);

        long llistxattr(byte[] path, byte[] list, long size);

        long fgetxattr(int fd, byte[] name, byte[] value, long size);

        long lgetxattr(byte[] path, byte[] name, byte[] value, long size);

        int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags);

        int lremovexattr(byte[] path, byte[] name);

        int ioctl(int fd, long request, byte[] arg);

        int ioctl(int fd, long request, long arg);

        int dup(int fd);

        Pointer fdopendir(int fd);

        Pointer readdir(Pointer dir);

        int closedir(Pointer dir);

        Pointer getpwnam(byte[] name);

        Pointer getgrnam(byte[] name);

        Pointer getpwuid(int uid);

        Pointer getgrgid(int gid);

        String strerror(int errnum);
    }

    private static final boolean ARM = Platform.ARCH.startsWith("aarch64") || Platform.ARCH.startsWith("arm");

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_DIRECTORY = ARM ? 040000 : 0200000;
    public static final int O_NOFOLLOW = ARM ? 0100000 : 0400000;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final long FS_IOC_GETFLAGS = 0x80086601L;
    public static final long FS_IOC_SETFLAGS = 0x40086602L;
    public static final long FS_IOC_FSGETXATTR = 0x801c581fL;
    public static final long FS_IOC_FSSETXATTR = 0x401c5820L;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int ENOTSUP = 95;

    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;

    private static volatile Calls calls;

    /** The C library, loaded on first use. */
    public static Calls c() throws IOException {
        Calls l = calls;
        if (l == null) {
            if (!Platform.isLinux() || !Platform.is64Bit()) {
                throw new IOException("directory archives need 64-bit Linux");
            }
            try {
                l = Native.load(Platform.C_LIBRARY_NAME, Calls.class);
            } catch (UnsatisfiedLinkError e) {
                throw new IOException("cannot load the C library: " + e.getMessage(), e);
            }
            calls = l;
        }
        return l;
    }

    /** The errno of the last call on this thread. */
    public static int errno() {
        return Native.getLastError();
    }

    public static String describe(int errno) {
        try {
            return c().strerror(errno);
        } catch (IOException e) {
            return "errno " + errno;
        }
    }

    /** A failed call: the errno, and a message the caller completes with the node it was about. */
    public static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        public final int errno;

        public Failure(String what, int errno) {
            super(what + ": " + describe(errno));
            this.errno = errno;
        }
    }

    /** A NUL-terminated copy of {@code s}. */
    public static byte[] z(byte[] s) {
        return Arrays.copyOf(s, s.length + 1);
    }

    /** {@code s} in UTF-8, NUL-terminated. */
    public static byte[] z(String s) {
        return z(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The little-endian int at {@code off}. */
    public static int i32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** Closes {@code fd} (nothing for a negative one), ignoring errors: there is nothing to do about them. */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            c().close(fd);
        } catch (IOException e) {
            // the library loaded when the descriptor was opened
        }
    }

    /** The names in the directory open as {@code dirfd}, without . and .. (in no particular order). */
    public static List<byte[]> names(int dirfd) throws IOException {
        int fd = c().dup(dirfd);
        if (fd < 0) {
            throw new Failure("cannot read directory", errno());
        }
        Pointer dir = c().fdopendir(fd);
        if (dir == null) {
            int e = errno();
            close(fd);
            throw new Failure("cannot read directory", e);
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

    /**
     * The names of the extended attributes of the file open as {@code fd} (when {@code zpath} is
     * null) or of the node at {@code zpath} (not followed); empty where the file system has none.
     */
    public static List<byte[]> xattrNames(int fd, byte[] zpath) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long n = zpath == null ? c().flistxattr(fd, null, 0) : c().llistxattr(zpath, null, 0);
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
            long m = zpath == null ? c().flistxattr(fd, buf, n) : c().llistxattr(zpath, buf, n);
            if (m < 0) {
                int e = errno();
                if (e == ERANGE && attempt < 8) {
                    continue; // grew in between
                }
                throw new Failure("cannot list extended attributes", e);
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
}
