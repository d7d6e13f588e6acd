package dev.jcasync.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What a file replaced by a rename should keep of the file it replaces: its permission bits
 * (setuid, setgid and sticky included) and, where allowed (as root), its owner and group.
 */
final class FileAttributes {
    private FileAttributes() {}

    /** Gives {@code to} the owner, group and mode of {@code from}, if {@code from} is an existing regular file. */
    static void copy(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode;
        int uid;
        int gid;
        try {
            mode = (Integer) Files.getAttribute(from, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            uid = (Integer) Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            gid = (Integer) Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from, LinkOption.NOFOLLOW_LINKS));
            return;
        }
        // Owner first: changing it clears the setuid and setgid bits, which the mode then restores.
        setIfAllowed(to, "unix:gid", gid);
        setIfAllowed(to, "unix:uid", uid);
        Files.setAttribute(to, "unix:mode", mode & 07777);
    }

    /** Sets an ownership attribute unless it is already so; not being allowed to (not root) is no error. */
    private static void setIfAllowed(Path file, String attribute, int value) {
        try {
            if (!Integer.valueOf(value).equals(Files.getAttribute(file, attribute))) {
                Files.setAttribute(file, attribute, value);
            }
        } catch (IOException notAllowed) {
            // only root may give a file away; the file keeps this process's owner
        }
    }
}
