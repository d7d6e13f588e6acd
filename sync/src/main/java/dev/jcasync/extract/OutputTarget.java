package dev.jcasync.extract;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * Where an extract writes, and so how: {@link #at} applies the rules to a path (README: "Where
 * OUTPUT is written").
 * <ul>
 * <li>{@link Replace}: a new regular file, or an existing one in a writable directory: written to a
 *     temporary file beside it and renamed over it when complete, keeping the old file's mode (and
 *     owner, as root);
 * <li>{@link InPlace}: a block device, a regular file whose directory is not writable (the file
 *     being so), or any file with {@code --in-place}: written where it is, keeping what is right;
 * <li>{@link Stream}: standard output ({@code -}, {@code /dev/stdout}, {@code /proc/self/fd/1}), a
 *     pipe, a FIFO, a character device: written once, front to back, in index order, from the
 *     descriptor's current offset, never truncated and never read;
 * <li>{@link Nowhere}: no output (a plan for a new file).
 * </ul>
 * A symbolic link is followed to what it names, which is then written as above; the link stays.
 */
public sealed interface OutputTarget
        permits OutputTarget.Replace, OutputTarget.InPlace, OutputTarget.Stream, OutputTarget.Nowhere {
    /** A regular file (new or existing), replaced atomically. {@code file} is the resolved path (no symlink). */
    record Replace(Path file) implements OutputTarget {}

    /** An existing file or block device (or a new file asked for in place), written where it is. */
    record InPlace(Path file) implements OutputTarget {}

    /**
     * A sequential stream: {@code opener} gives the channel when the run starts (a FIFO's open
     * waits for its reader); {@code closeAfter}: the run closes it. {@code descriptor} is the file
     * descriptor written to when known (1 for standard output), -1 otherwise.
     */
    record Stream(String name, Opener opener, int descriptor, boolean closeAfter) implements OutputTarget {
        public boolean isStandardOutput() {
            return descriptor == 1;
        }
    }

    /** Nothing is written anywhere: a plan, as for a new file. */
    record Nowhere() implements OutputTarget {}

    /** Opens a stream's channel. */
    @FunctionalInterface
    interface Opener {
        WritableByteChannel open() throws IOException;
    }

    /** Standard output (file descriptor 1) as it is: its current offset, its access mode. */
    static Stream standardOutput() {
        return new Stream("-", () -> new FileOutputStream(FileDescriptor.out).getChannel(), 1, false);
    }

    /** Any channel, written sequentially (the caller closes it). */
    static Stream stream(String name, WritableByteChannel channel) {
        return new Stream(name, () -> channel, -1, false);
    }

    static Nowhere nowhere() {
        return new Nowhere();
    }

    /** What writing to {@code output} means; with {@code inPlace}, a regular file is written in place. */
    static OutputTarget at(Path output, boolean inPlace) throws IOException {
        return OutputPaths.resolve(output, inPlace);
    }
}
