package dev.jcasync.archive.write;

import dev.jcasync.archive.CatarFormat;
import dev.jcasync.archive.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A real directory, read through Linux system calls relative to open directory descriptors. */
public final class DirectorySource implements TreeSource {
    private final byte[] root;

    public DirectorySource(byte[] root) {
        this.root = root.clone();
    }

    public DirectorySource(String root) {
        this(root.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] rootDisplay() {
        return root.clone();
    }

    @Override
    public Node root() throws IOException {
        // the root is opened as casync opens it: a symlink to a directory is followed
        int fd = LinuxFs.open(Libc.AT_FDCWD, root, Libc.O_RDONLY | Libc.O_NONBLOCK, root);
        try {
            return new FsNode(fd, Libc.AT_FDCWD, root, LinuxFs.fstat(fd, root), root);
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * A file: with its own descriptor (regular files and directories), or named by its parent's
     * descriptor (symlinks, devices, fifos, sockets, which cannot be opened without side effects).
     */
    private static final class FsNode implements Node {
        private final int fd;
        private final int parentFd;
        private final byte[] name;
        private final LinuxFs.Stat stat;
        private final byte[] disp;

        FsNode(int fd, int parentFd, byte[] name, LinuxFs.Stat stat, byte[] disp) {
            this.fd = fd;
            this.parentFd = parentFd;
            this.name = name;
            this.stat = stat;
            this.disp = disp;
        }

        @Override
        public LinuxFs.Stat stat() {
            return stat;
        }

        @Override
        public int inodeFlags() throws IOException {
            return LinuxFs.inodeFlags(fd, disp);
        }

        @Override
        public long projectId() throws IOException {
            return LinuxFs.projectId(fd, disp);
        }

        @Override
        public List<byte[]> xattrNames() throws IOException {
            return LinuxFs.listXattrs(fd, disp);
        }

        @Override
        public byte[] xattr(byte[] attr) throws IOException {
            if (fd >= 0) {
                return LinuxFs.getXattr(fd, attr, disp);
            }
            byte[] prefix = ("/proc/self/fd/" + parentFd + "/").getBytes(StandardCharsets.US_ASCII);
            byte[] path = new byte[prefix.length + name.length];
            System.arraycopy(prefix, 0, path, 0, prefix.length);
            System.arraycopy(name, 0, path, prefix.length, name.length);
            return LinuxFs.getXattr(path, new String(attr, StandardCharsets.UTF_8), disp);
        }

        @Override
        public byte[] readlink() throws IOException {
            return LinuxFs.readlink(parentFd, name, disp);
        }

        @Override
        public int read(byte[] buf, int len) throws IOException {
            return LinuxFs.read(fd, buf, len, disp);
        }

        @Override
        public List<byte[]> list() throws IOException {
            return LinuxFs.listDirectory(fd, disp);
        }

        @Override
        public LinuxFs.Stat childStat(byte[] child, byte[] display) throws IOException {
            return LinuxFs.statIfExists(fd, child, display);
        }

        @Override
        public Node open(byte[] child, LinuxFs.Stat cs, byte[] display) throws IOException {
            int type = cs.type();
            int flags;
            if (type == CatarFormat.S_IFDIR) {
                flags = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW;
            } else if (type == CatarFormat.S_IFREG) {
                flags = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK;
            } else {
                return new FsNode(-1, fd, child, cs, display);
            }
            int cfd = LinuxFs.open(fd, child, flags, display);
            try {
                return new FsNode(cfd, fd, child, LinuxFs.fstat(cfd, display), display);
            } catch (IOException | RuntimeException e) {
                Libc.close(cfd);
                throw e;
            }
        }

        @Override
        public void close() {
            if (fd >= 0) {
                Libc.close(fd);
            }
        }
    }
}
