package dev.jcasync.store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysGrowExponentiallyUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
        for (int retry = 0; retry < 100; retry++) {
            long ceiling = Math.min(10_000, 200L << Math.min(retry, 20));
            for (int sample = 0; sample < 50; sample++) {
                long d = backoff.delayMillis(retry, 0);
                assertTrue(d >= 0 && d <= ceiling, "retry " + retry + ": " + d);
            }
        }
    }

    @Test
    void jitterSpreadsDelays() {
        Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofSeconds(10));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 200; i++) {
            long d = backoff.delayMillis(3, 0);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(max - min > 1000, "spread " + min + ".." + max);
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ZERO, Duration.ofSeconds(10));
        assertEquals(0, backoff.delayMillis(0, 0));
        assertEquals(3000, backoff.delayMillis(0, 3000));
        assertEquals(10_000, backoff.delayMillis(0, 3_600_000));
    }
}
