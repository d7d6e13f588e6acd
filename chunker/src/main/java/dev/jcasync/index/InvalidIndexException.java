package dev.jcasync.index;

import java.io.IOException;

/** An index file that is not a valid {@code .caibx}; the message names the file and offset. */
public class InvalidIndexException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidIndexException(String message) {
        super(message);
    }

    public InvalidIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
