package dev.jcasync.extract;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Orders the copies an in-place extract makes from one range of the output to others (data that
 * moved), so that each source is read before anything is written over it. A write destroys every
 * source it overlaps, so a copy whose destination overlaps another copy's source has to wait for
 * that read. Cycles (A moves where B was and B where A was) are broken by reading a copy's source
 * into memory ahead of time, up to a budget; past it the copy is dropped and its chunk comes from
 * elsewhere (the stores). The plan depends only on offsets, so a dry run predicts exactly what the
 * real run copies.
 */
final class InPlaceMoves {
    /** One copy: the chunk at {@code source} (length {@code size}) is written to every offset in {@code targets}. */
    record Move(long source, int size, long[] targets) {}

    /** What to do, in order. {@code READ}: load the source into memory; {@code WRITE}: write it (reading it first if not loaded). */
    enum Kind {
        READ,
        WRITE,
        DROP
    }

    record Step(Kind kind, int move) {}

    private InPlaceMoves() {}

    /** The steps for {@code moves}, holding at most {@code budget} bytes read ahead at any time. */
    static List<Step> plan(List<Move> moves, long budget) {
        int n = moves.size();
        // destroyedBy[y]: the moves whose writes land on y's source; unread[x]: how many of the
        // sources x's writes land on are still unread (x may write when it is 0).
        Integer[] bySource = bySource(moves);
        List<List<Integer>> destroyedBy = destroyers(moves, bySource);
        int[] unread = new int[n];
        for (int y = 0; y < n; y++) {
            for (int x : destroyedBy.get(y)) {
                unread[x]++;
            }
        }
        boolean[] read = new boolean[n];
        boolean[] done = new boolean[n];
        List<Step> steps = new ArrayList<>();
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int x = 0; x < n; x++) {
            if (unread[x] == 0) {
                ready.add(x);
            }
        }
        // Candidates to read ahead when stuck are taken by source offset, for a deterministic plan.
        int nextCandidate = 0;
        long held = 0;
        int finished = 0;
        while (finished < n) {
            while (!ready.isEmpty()) {
                int x = ready.poll();
                if (done[x]) {
                    continue;
                }
                if (read[x]) {
                    held -= moves.get(x).size();
                } else {
                    markRead(x, read, unread, destroyedBy, ready);
                }
                steps.add(new Step(Kind.WRITE, x));
                done[x] = true;
                finished++;
            }
            if (finished == n) {
                break;
            }
            // Stuck in a cycle: take the unread move with the lowest source out of it.
            while (read[bySource[nextCandidate]] || done[bySource[nextCandidate]]) {
                nextCandidate++;
            }
            int y = bySource[nextCandidate];
            if (held + moves.get(y).size() <= budget) {
                held += moves.get(y).size();
                steps.add(new Step(Kind.READ, y));
                markRead(y, read, unread, destroyedBy, ready);
                if (unread[y] == 0) {
                    ready.add(y);
                }
            } else {
                steps.add(new Step(Kind.DROP, y));
                done[y] = true;
                finished++;
                markRead(y, read, unread, destroyedBy, ready); // its source no longer matters
            }
        }
        return steps;
    }

    private static void markRead(
            int y, boolean[] read, int[] unread, List<List<Integer>> destroyedBy, ArrayDeque<Integer> ready) {
        read[y] = true;
        for (int x : destroyedBy.get(y)) {
            if (--unread[x] == 0) {
                ready.add(x);
            }
        }
    }

    /** The move indexes ordered by source offset. */
    private static Integer[] bySource(List<Move> moves) {
        Integer[] order = new Integer[moves.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> moves.get(i).source()));
        return order;
    }

    /** For each move y, the moves x whose writes overlap y's source (x must wait until y is read). */
    private static List<List<Integer>> destroyers(List<Move> moves, Integer[] bySource) {
        int n = moves.size();
        long[] starts = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = moves.get(bySource[i]).source();
        }
        List<List<Integer>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>(1));
        }
        for (int x = 0; x < n; x++) {
            Move m = moves.get(x);
            for (long target : m.targets()) {
                long end = target + m.size();
                // Sources are chunks of the old content: disjoint, so at most a few overlap one write.
                int i = Arrays.binarySearch(starts, target);
                i = i >= 0 ? i : Math.max(0, -i - 2);
                for (; i < n && starts[i] < end; i++) {
                    int y = bySource[i];
                    if (y != x && starts[i] + moves.get(y).size() > target) {
                        out.get(y).add(x);
                    }
                }
            }
        }
        return out;
    }
}
