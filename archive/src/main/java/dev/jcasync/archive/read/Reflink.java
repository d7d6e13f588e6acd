package dev.jcasync.archive.read;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Copy-on-write clones of whole files (Linux's FICLONE ioctl, the whole-file form of FICLONERANGE):
 * the new file shares the source's blocks until either is written. Works on btrfs, XFS (with
 * reflink, the default since xfsprogs 5.1), bcachefs, OCFS2 and overlayfs over those, within one
 * file system; elsewhere (ext4, tmpfs, across mounts) the ioctl fails and the caller copies.
 */
final class Reflink {
    private Reflink() {}

    interface LibC extends Library {
        int open(byte[] path, int flags, int mode);

        int close(int fd);

        int ioctl(int fd, long request, long arg);
    }

    /** _IOW(0x94, 9, int) */
    private static final long FICLONE = 0x40049409L;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;

    private static volatile LibC libc;
    private static volatile boolean unavailable;

    private static LibC c() {
        LibC l = libc;
        if (l == null && !unavailable) {
            try {
                if (!Platform.isLinux()) {
                    unavailable = true;
                    return null;
                }
                l = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
                libc = l;
            } catch (UnsatisfiedLinkError e) {
                unavailable = true;
            }
        }
        return l;
    }

    /** Makes the existing empty file {@code target} a clone of {@code source}; false if the file system cannot. */
    static boolean cloneInto(Path source, Path target) {
        LibC c = c();
        if (c == null) {
            return false;
        }
        int src = c.open(path(source), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (src < 0) {
            return false;
        }
        try {
            int dst = c.open(path(target), O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0);
            if (dst < 0) {
                return false;
            }
            try {
                return c.ioctl(dst, FICLONE, src) == 0;
            } finally {
                c.close(dst);
            }
        } finally {
            c.close(src);
        }
    }

    private static byte[] path(Path p) {
        byte[] b = p.toString().getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1); // NUL-terminated
    }
}
