#!/usr/bin/env python3
"""Builds a directory tree for the catar interop tests (run as root).

    gentree.py DIR basic    files of many sizes, odd names (space, newline, invalid UTF-8),
                            symlinks (also dangling), a FIFO, a socket, a device, nested
                            directories, nanosecond mtimes, owners 4242/4243 and 65534,
                            user.* xattrs, a hard link, chattr +A and +d
    gentree.py DIR bigids   the same kinds of files owned by ids above 65535
"""
import hashlib
import os
import socket
import struct
import subprocess
import sys


def prng(n, seed):
    out = bytearray()
    ctr = 0
    while len(out) < n:
        out += hashlib.sha256(seed + struct.pack("<Q", ctr)).digest()
        ctr += 1
    return bytes(out[:n])


def main():
    root = os.fsencode(sys.argv[1])
    kind = sys.argv[2]
    os.umask(0o022)
    os.mkdir(root, 0o755)
    times = []

    def J(*parts):
        return os.path.join(root, *[p if isinstance(p, bytes) else p.encode() for p in parts])

    def f(name, data, mode=0o644, owner=None):
        p = J(name)
        with open(p, "wb") as fh:
            fh.write(data)
        if owner:
            os.chown(p, *owner)
        os.chmod(p, mode)
        times.append(p)
        return p

    def d(name, mode=0o755, owner=None):
        p = J(name)
        os.mkdir(p)
        if owner:
            os.chown(p, *owner)
        os.chmod(p, mode)
        times.append(p)
        return p

    if kind == "bigids":
        f("big-owner", b"owned by 100000\n", 0o640, (100000, 200000))
        d("big-dir", 0o750, (70000, 70001))
        f("big-dir/inside", b"x" * 5000, 0o600, (4294967294, 65536))
        f("root-file", b"root\n")
    else:
        for size in (0, 1, 47, 48, 49, 4095, 4096, 65535, 65536, 65537, 300000, 1000000):
            f("size-%d.bin" % size, prng(size, b"size%d" % size))
        f("zeros.bin", b"\0" * 200000 + b"end")
        f("empty", b"")
        f("with space.txt", b"space\n", 0o600)
        f(b"new\nline", b"newline in the name\n")
        f(b"bad-utf8-\xff\xfe", b"invalid UTF-8 name\n")
        f(b"\xc3\xbc-umlaut", b"valid UTF-8 name\n")
        f("#hash\\backslash", b"odd\n")
        f("UPPER", b"sorts first\n")
        f("setuid", b"suid\n", 0o4755)
        f("setgid", b"sgid\n", 0o2711)
        f("exec.sh", b"#!/bin/sh\n", 0o755)
        f("readonly.txt", b"ro\n", 0o444)
        d("sticky", 0o1777)
        d("a")
        d("a/b")
        d("a/b/c")
        d("a/b/c/d")
        f("a/b/c/d/deep.txt", b"deep\n")
        f("a/b/sibling", prng(70000, b"sibling"))
        d("empty-dir", 0o700)
        d("readonly-dir", 0o555)
        for name, target in (("link-rel", "exec.sh"), ("link-dangling", "no/such/file"),
                             ("link-abs", "/etc/hostname"), ("link-dir", "a/b")):
            os.symlink(target, J(name))
            times.append(J(name))
        p = f("hard-a", b"one inode, two names\n")
        os.link(p, J("hard-b"))
        os.mkfifo(J("fifo"), 0o640)
        times.append(J("fifo"))
        s = socket.socket(socket.AF_UNIX)
        s.bind(J("socket"))
        s.close()
        times.append(J("socket"))
        os.mknod(J("null-dev"), 0o20666, os.makedev(1, 3))
        os.chmod(J("null-dev"), 0o666)
        times.append(J("null-dev"))
        f("owned-4242", b"no name for this owner\n", 0o644, (4242, 4243))
        f("owned-nobody", b"nobody\n", 0o644, (65534, 65534))
        p = f("xattrs.txt", b"xattrs\n")
        os.setxattr(p, "user.one", b"1")
        os.setxattr(p, "user.binary", b"\0\1\2\xff")
        os.setxattr(p, "user.empty", b"")
        os.setxattr(J("a"), "user.on-a-dir", b"dir")
        f("noatime", b"chattr +A\n")
        subprocess.run(["chattr", "+A", J("noatime")], check=True)
        f("nodump", b"chattr +d\n")
        subprocess.run(["chattr", "+d", J("nodump")], check=True)

    times.append(root)
    for i, p in enumerate(sorted(times, key=lambda x: -x.count(b"/"))):
        ns = 1700000000 * 10**9 + i * 1234567891 + 987654321 % (i + 1)
        os.utime(p, ns=(ns, ns), follow_symlinks=False)


if __name__ == "__main__":
    main()
