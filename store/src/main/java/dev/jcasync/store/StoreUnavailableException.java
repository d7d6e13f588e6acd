package dev.jcasync.store;

import java.io.IOException;

/**
 * A store failed (unreachable, or erroring after its retries) and no other store had the chunk:
 * a condition that may pass, unlike a chunk that is missing or corrupt everywhere.
 */
public class StoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
