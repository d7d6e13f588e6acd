package dev.jcasync.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcasync.extract.InPlaceMoves.Kind;
import dev.jcasync.extract.InPlaceMoves.Move;
import dev.jcasync.extract.InPlaceMoves.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InPlaceMovesTest {
    /** Consecutive chunks of {@code size} bytes, each moved by {@code shift}. */
    private static List<Move> shifted(int count, int size, long shift) {
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long source = 1000 + (long) i * size;
            moves.add(new Move(source, size, new long[] {source + shift}));
        }
        return moves;
    }

    private static long count(List<Step> steps, Kind kind) {
        return steps.stream().filter(s -> s.kind() == kind).count();
    }

    @Test
    void dataMovedEitherWayNeedsNoMemory() {
        for (long shift : new long[] {-700, 700, -5, 5, 64, -64, 6400}) {
            List<Step> steps = InPlaceMoves.plan(shifted(100, 64, shift), 0);
            assertEquals(100, count(steps, Kind.WRITE), "shift " + shift);
            assertEquals(0, count(steps, Kind.READ) + count(steps, Kind.DROP), "shift " + shift);
            assertValid(shifted(100, 64, shift), steps, 0);
        }
    }

    @Test
    void aSwapReadsOneSideAheadOrDropsItWithoutMemory() {
        List<Move> swap = List.of(new Move(0, 100, new long[] {100}), new Move(100, 100, new long[] {0}));
        List<Step> withMemory = InPlaceMoves.plan(swap, 100);
        assertEquals(List.of(new Step(Kind.READ, 0), new Step(Kind.WRITE, 1), new Step(Kind.WRITE, 0)), withMemory);
        assertValid(swap, withMemory, 100);
        List<Step> without = InPlaceMoves.plan(swap, 99);
        assertEquals(List.of(new Step(Kind.DROP, 0), new Step(Kind.WRITE, 1)), without);
        assertValid(swap, without, 99);
    }

    @Test
    void randomMovesNeverReadADestroyedSourceNorExceedTheBudget() {
        Random random = new Random(5);
        for (int round = 0; round < 300; round++) {
            // Disjoint sources (old chunks), each copied to 1-3 disjoint places of the new layout.
            int n = 1 + random.nextInt(40);
            List<Move> moves = new ArrayList<>();
            long at = 0;
            List<long[]> targets = new ArrayList<>();
            int[] sizes = new int[n];
            long[] sources = new long[n];
            for (int i = 0; i < n; i++) {
                sizes[i] = 10 + random.nextInt(50);
                at += random.nextInt(30);
                sources[i] = at;
                at += sizes[i];
            }
            // New layout: places for the copies laid out in a random order over the same span.
            List<long[]> places = new ArrayList<>(); // {move, count}
            for (int i = 0; i < n; i++) {
                int copies = 1 + random.nextInt(3);
                for (int c = 0; c < copies; c++) {
                    places.add(new long[] {i});
                }
            }
            java.util.Collections.shuffle(places, random);
            long pos = random.nextInt(40);
            long[][] byMove = new long[n][0];
            for (long[] p : places) {
                int i = (int) p[0];
                byMove[i] = Arrays.copyOf(byMove[i], byMove[i].length + 1);
                byMove[i][byMove[i].length - 1] = pos;
                pos += sizes[i] + random.nextInt(20);
            }
            for (int i = 0; i < n; i++) {
                moves.add(new Move(sources[i], sizes[i], byMove[i]));
            }
            long budget = random.nextInt(3) == 0 ? 0 : random.nextInt(200);
            List<Step> steps = InPlaceMoves.plan(moves, budget);
            assertValid(moves, steps, budget);
        }
    }

    /**
     * Replays the steps over a model of the output: every byte remembers whether it still holds
     * the old content. A source must be intact when read, each move ends written or dropped
     * exactly once, and no more than the budget is held in memory.
     */
    private static void assertValid(List<Move> moves, List<Step> steps, long budget) {
        long end = 0;
        for (Move m : moves) {
            end = Math.max(end, m.source() + m.size());
            for (long t : m.targets()) {
                end = Math.max(end, t + m.size());
            }
        }
        boolean[] overwritten = new boolean[(int) end + 1];
        boolean[] held = new boolean[moves.size()];
        int[] outcomes = new int[moves.size()];
        long heldBytes = 0;
        for (Step s : steps) {
            Move m = moves.get(s.move());
            switch (s.kind()) {
                case READ -> {
                    assertIntact(overwritten, m, s);
                    held[s.move()] = true;
                    heldBytes += m.size();
                    assertTrue(heldBytes <= budget, "held " + heldBytes + " > budget " + budget);
                }
                case WRITE -> {
                    if (held[s.move()]) {
                        heldBytes -= m.size();
                        held[s.move()] = false;
                    } else {
                        assertIntact(overwritten, m, s);
                    }
                    for (long t : m.targets()) {
                        Arrays.fill(overwritten, (int) t, (int) t + m.size(), true);
                    }
                    outcomes[s.move()]++;
                }
                case DROP -> outcomes[s.move()]++;
            }
        }
        for (int i = 0; i < moves.size(); i++) {
            assertEquals(1, outcomes[i], "move " + i + " written or dropped exactly once: " + steps);
        }
        assertEquals(0, heldBytes, "nothing left in memory");
    }

    private static void assertIntact(boolean[] overwritten, Move m, Step s) {
        for (long b = m.source(); b < m.source() + m.size(); b++) {
            assertTrue(!overwritten[(int) b], "step " + s + " reads a source already written over at " + b);
        }
    }
}
