package dev.jcasync.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyItemOnceOnSeveralThreads() throws IOException {
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        java.util.concurrent.CyclicBarrier firstFour = new java.util.concurrent.CyclicBarrier(4);
        Parallel.forEach(IntStream.range(0, 10_000).iterator(), 4, i -> {
            assertTrue(seen.add(i), "item " + i + " twice");
            threads.add(Thread.currentThread());
            if (i < 4) {
                try {
                    firstFour.await(10, java.util.concurrent.TimeUnit.SECONDS); // the first four items run at once
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        });
        assertEquals(10_000, seen.size());
        assertEquals(4, threads.size(), "four threads");
        assertTrue(threads.stream().allMatch(t -> t.getName().equals("jcasync-worker")));
    }

    @Test
    void itemsAreListedOnlyAsTheyAreTaken() throws IOException {
        AtomicInteger listed = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Iterator<Integer> lazy = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return listed.get() < 1000;
            }

            @Override
            public Integer next() {
                maxAhead.accumulateAndGet(listed.incrementAndGet() - done.get(), Math::max);
                return listed.get();
            }
        };
        Parallel.forEach(lazy, 3, i -> done.incrementAndGet());
        assertEquals(1000, done.get());
        assertTrue(maxAhead.get() <= 3, "at most one item per thread in hand: " + maxAhead.get());
    }

    @Test
    void theFirstFailureStopsTheRestAndIsRethrownAsItWas() {
        IOException boom = new IOException("boom");
        AtomicInteger ran = new AtomicInteger();
        IOException thrown = assertThrows(
                IOException.class,
                () -> Parallel.forEach(IntStream.range(0, 1_000_000).iterator(), 2, i -> {
                    ran.incrementAndGet();
                    if (i == 10) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertTrue(ran.get() < 1_000_000, "stopped early: " + ran.get());
    }

    @Test
    void aFailingIteratorIsReported() {
        Iterator<Integer> broken = new Iterator<>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (++n == 5) {
                    throw new UncheckedIOException(new IOException("listing failed"));
                }
                return n;
            }
        };
        IOException e = assertThrows(IOException.class, () -> Parallel.forEach(broken, 2, i -> {}));
        assertEquals("listing failed", e.getMessage());
    }
}
