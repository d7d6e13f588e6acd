package dev.jcasync.maintain;

import dev.jcasync.store.StoreFile;
import java.util.List;

/**
 * The outcome of checking every chunk file of a store.
 *
 * @param files chunk files checked, and their bytes
 * @param problems the bad files, sorted by path
 */
public record VerifyReport(long files, long bytes, List<Problem> problems) {
    /** What is wrong with a file. */
    public enum Kind {
        /** Cannot be decoded: truncated, damaged, empty, or not a known format. */
        CORRUPT,
        /** Decodes, but to data whose id is not the file's name (a flipped byte, or another chunk's file). */
        MISMATCH,
        /** A good chunk in the wrong prefix directory, where no reader looks for it. */
        MISPLACED
    }

    /** What a repair did about it. */
    public enum Action {
        /** Nothing: not repairing. */
        NONE,
        /** A good copy from the repair store took its place. */
        REPLACED,
        /** Moved to where it belongs (or dropped there, as a good copy was already in place). */
        MOVED,
        /** Deleted, with no good copy to put in its place: the store now lacks the chunk. */
        REMOVED
    }

    public record Problem(StoreFile file, Kind kind, String detail, Action action) {
        /** True if the store is whole again for this chunk. */
        public boolean fixed() {
            return action == Action.REPLACED || action == Action.MOVED;
        }
    }

    /** True if the store holds no bad file and lacks no chunk it had: nothing found, or all fixed. */
    public boolean ok() {
        return problems.stream().allMatch(Problem::fixed);
    }
}
