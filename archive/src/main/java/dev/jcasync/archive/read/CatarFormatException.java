package dev.jcasync.archive.read;

import java.io.IOException;

/** A catar stream that breaks the format: the message names the archive and the offset. */
public final class CatarFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public CatarFormatException(String archive, long offset, String reason) {
        super(archive + ": at offset " + offset + ": " + reason);
        this.offset = offset;
    }

    /** The archive offset of the record (or byte) that is wrong. */
    public long offset() {
        return offset;
    }
}
