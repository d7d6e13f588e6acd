package dev.jcasync.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The goodbye hash and item order against the check values of docs/catar.md section 7. */
class CatarFormatTest {
    @Test
    void nameHashCheckValues() {
        String[][] cases = {
            {"", "b64acab6ca921906"},
            {"a", "51ba5a19e058c7ad"},
            {"sub", "ebfe935698c3deec"},
            {"link", "f922bf6d7bb3dfaf"},
            {"hello.txt", "768166ec6f1259fb"},
            {"small.txt", "8fb57fe9377c01c8"},
            {"hello world, this is longer than 16", "e1d75ae6ee103d1c"},
            {"zażółć gęślą jaźń.txt", "4c6e22f7fc516214"},
        };
        for (String[] c : cases) {
            long h = CatarFormat.nameHash(c[0].getBytes(StandardCharsets.UTF_8));
            assertEquals(c[1], String.format("%016x", h), c[0]);
        }
    }

    @Test
    void goodbyeLayoutsAsCasync() {
        int[][] expected = {
            {},
            {0},
            {1, 0},
            {1, 0, 2},
            {2, 1, 3, 0},
            {3, 1, 4, 0, 2},
            {3, 1, 5, 0, 2, 4},
            {3, 1, 5, 0, 2, 4, 6},
            {4, 2, 6, 1, 3, 5, 7, 0},
            {5, 3, 7, 1, 4, 6, 8, 0, 2},
            {6, 3, 8, 1, 5, 7, 9, 0, 2, 4},
        };
        for (int n = 0; n < expected.length; n++) {
            assertArrayEquals(expected[n], CatarFormat.goodbyeLayout(n), "n = " + n);
        }
    }

    @Test
    void goodbyeLayoutIsASearchTreeForManySizes() {
        for (int n = 0; n < 300; n++) {
            int[] layout = CatarFormat.goodbyeLayout(n);
            for (int i = 0; i < n; i++) {
                int l = 2 * i + 1;
                int r = 2 * i + 2;
                if (l < n) {
                    assertEquals(true, layout[l] < layout[i], "left of " + i + " for n = " + n);
                }
                if (r < n) {
                    assertEquals(true, layout[r] > layout[i], "right of " + i + " for n = " + n);
                }
            }
        }
    }

    @Test
    void goodbyeSize() {
        assertEquals(40, CatarFormat.goodbyeSize(0));
        assertEquals(88, CatarFormat.goodbyeSize(2));
    }
}
