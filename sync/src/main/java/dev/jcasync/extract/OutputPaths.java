package dev.jcasync.extract;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rules of {@link OutputTarget#at}: which kind of output a path is. */
final class OutputPaths {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFDIR = 0040000;
    /** Symbolic links followed at most (as the kernel's limit). */
    private static final int MAX_LINKS = 40;

    private static final Pattern FD_PATH = Pattern.compile("(?:/dev|/proc/([^/]+))/fd/(\\d+)");

    private OutputPaths() {}

    static OutputTarget resolve(Path output, boolean inPlace) throws IOException {
        String name = output.toString();
        Path p = output;
        for (int links = 0; ; links++) {
            int fd = descriptorNamed(p);
            if (fd == 1) {
                return new OutputTarget.Stream(
                        name, OutputTarget.standardOutput().opener(), 1, false);
            }
            if (fd == 2) {
                return new OutputTarget.Stream(
                        name, () -> new FileOutputStream(FileDescriptor.err).getChannel(), 2, false);
            }
            if (fd >= 0) { // another descriptor: reopened through /proc, written from its start
                Path via = p;
                return new OutputTarget.Stream(name, () -> FileChannel.open(via, StandardOpenOption.WRITE), -1, true);
            }
            if (!Files.isSymbolicLink(p)) {
                break;
            }
            if (links == MAX_LINKS) {
                throw new FileSystemException(name, null, "too many levels of symbolic links");
            }
            p = p.toAbsolutePath()
                    .getParent()
                    .resolve(Files.readSymbolicLink(p))
                    .normalize();
        }
        int type;
        try {
            type = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT;
        } catch (NoSuchFileException missing) {
            return inPlace ? new OutputTarget.InPlace(p) : new OutputTarget.Replace(p);
        }
        Path file = p;
        return switch (type) {
            case S_IFREG ->
                inPlace || onlyTheFileIsWritable(file)
                        ? new OutputTarget.InPlace(file)
                        : new OutputTarget.Replace(file);
            case S_IFBLK -> new OutputTarget.InPlace(file);
            case S_IFCHR, S_IFIFO ->
                new OutputTarget.Stream(name, () -> FileChannel.open(file, StandardOpenOption.WRITE), -1, true);
            case S_IFDIR ->
                throw new FileSystemException(
                        name,
                        null,
                        "is a directory (directory trees need a .caidx, which jcasync does not extract yet)");
            default ->
                throw new FileSystemException(name, null, "not a regular file, block or character device, or pipe");
        };
    }

    /** A file that may be written but not replaced: its directory does not let us create the temporary file beside it. */
    private static boolean onlyTheFileIsWritable(Path file) {
        return !Files.isWritable(file.toAbsolutePath().getParent()) && Files.isWritable(file);
    }

    /** The descriptor a path names ({@code /dev/stdout}, {@code /dev/fd/N}, {@code /proc/self/fd/N}), or -1. */
    private static int descriptorNamed(Path p) {
        String s = p.toAbsolutePath().normalize().toString();
        switch (s) {
            case "/dev/stdin":
                return 0;
            case "/dev/stdout":
                return 1;
            case "/dev/stderr":
                return 2;
            default:
                break;
        }
        Matcher m = FD_PATH.matcher(s);
        if (!m.matches()) {
            return -1;
        }
        String process = m.group(1);
        boolean ours = process == null
                || process.equals("self")
                || process.equals("thread-self")
                || process.equals(Long.toString(ProcessHandle.current().pid()));
        return ours ? Integer.parseInt(m.group(2)) : -1;
    }
}
