package dev.jcasync.archive.read;

import static dev.jcasync.archive.Libc.*;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.jcasync.archive.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The Linux system calls the extractor needs and the JDK does not offer: every call takes a
 * directory descriptor and a name of raw bytes (any byte but NUL and '/', not necessarily UTF-8),
 * so a tree is made one checked component at a time and no link inside it is followed; extended
 * attributes of every namespace (ACLs, capabilities and SELinux labels are xattrs); inode flags;
 * nanosecond times on any node type; user and group lookups through NSS. The library and the
 * calls the encoder makes the same way are {@link Libc}'s.
 */
final class PosixFs {
    private PosixFs() {}

    static final long UTIME_OMIT = (1L << 30) - 2;
    static final long FAT_IOCTL_SET_ATTRIBUTES = 0x40047211L;
    /** _IOW(0x94, 9, int): the whole-file form of FICLONERANGE. */
    static final long FICLONE = 0x40049409L;

    static final int FS_IMMUTABLE_FL = 0x10;
    static final int FS_APPEND_FL = 0x20;

    /** The path that reaches {@code name} in the directory open as {@code dirfd} without following it. */
    static byte[] procPath(int dirfd, byte[] name) {
        byte[] prefix = ("/proc/self/fd/" + dirfd + "/").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(prefix, prefix.length + name.length + 1);
        System.arraycopy(name, 0, out, prefix.length, name.length);
        return out;
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
