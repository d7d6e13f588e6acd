#!/usr/bin/env python3
"""Writes a tree for the tar-input tests (run as root): SRC gets thousands of files of many
sizes, empty and sparse files, hardlinks, symlinks (one dangling), fifos, a character device,
names longer than a ustar header holds, names with spaces and newlines, user.* xattrs,
nanosecond mtimes and owners above 65535. Deterministic."""
import os
import sys


def main():
    root = sys.argv[1]
    os.makedirs(root)
    state = [12345]

    def rnd(n):
        state[0] = (state[0] * 1103515245 + 12345) & 0x7FFFFFFF
        return state[0] % n

    times = []

    def stamp(path, i):
        times.append((path, 1_600_000_000_000_000_000 + i * 1_000_003_917))

    for d in range(40):
        dp = os.path.join(root, "dir%02d" % d)
        os.mkdir(dp, 0o755 if d % 3 else 0o750)
        for i in range(50):
            p = os.path.join(dp, "file %d.dat" % i)
            size = [0, 1, 100, 4096, 9000, 70000][rnd(6)]
            with open(p, "wb") as f:
                f.write(bytes((j * 7 + i + d) & 0xFF for j in range(size)))
            os.chmod(p, [0o644, 0o600, 0o755, 0o4755, 0o444][rnd(5)])
            if i % 10 == 0:
                os.setxattr(p, "user.note", ("n%d" % i).encode())
            if i % 17 == 0:
                os.chown(p, 70000 + i, 80000 + d)
            stamp(p, d * 100 + i)
        stamp(dp, d)
    long1 = "L" * 150
    long2 = "M" * 200
    os.makedirs(os.path.join(root, long1, long2))
    with open(os.path.join(root, long1, long2, "N" * 200), "w") as f:
        f.write("deep and long\n")
    with open(os.path.join(root, "line\nbreak and space"), "w") as f:
        f.write("x")
    with open(os.path.join(root, "sparse"), "wb") as f:
        f.seek(3 << 20)
        f.write(b"end")
        f.seek(1 << 20)
        f.write(b"middle")
    os.link(os.path.join(root, "dir01", "file 1.dat"), os.path.join(root, "hardlink"))
    os.link(os.path.join(root, "dir01", "file 1.dat"), os.path.join(root, "dir02", "hardlink2"))
    os.symlink("dir01/file 2.dat", os.path.join(root, "symlink"))
    os.symlink("nowhere/at all", os.path.join(root, "dangling"))
    os.lchown(os.path.join(root, "dangling"), 70001, 70002)
    os.mkfifo(os.path.join(root, "fifo"), 0o640)
    os.mknod(os.path.join(root, "null"), 0o620 | 0o020000, os.makedev(1, 3))
    os.setxattr(os.path.join(root, "dir03"), "user.dirattr", b"on a directory")
    os.chown(os.path.join(root, "dir04"), 100000, 100001)
    for p, t in times:
        os.utime(p, ns=(t, t), follow_symlinks=False)
    os.utime(os.path.join(root, "symlink"), ns=(5, 1_500_000_000_123_456_789), follow_symlinks=False)
    os.utime(root, ns=(5, 1_400_000_000_987_654_321))


main()
