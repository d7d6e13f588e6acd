package dev.jcasync.store.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between retries: exponential with full jitter (a uniform random delay up to
 * {@code base * 2^retry}, capped), so that many clients failing together do not retry in lockstep.
 */
final class Backoff {
    private final long baseMillis;
    private final long capMillis;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = Math.max(cap.toMillis(), 0);
    }

    /**
     * The delay before retry number {@code retry} (0 for the first). A server's
     * {@code Retry-After} ({@code retryAfterMillis}, 0 if none) is honoured up to the cap.
     */
    long delayMillis(int retry, long retryAfterMillis) {
        // Doubles are fine here: 2^retry overflows a long long before it matters, and the cap bounds it.
        long ceiling = (long) Math.min((double) capMillis, baseMillis * Math.pow(2, retry));
        long jittered = ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
        return Math.max(jittered, Math.min(retryAfterMillis, capMillis));
    }
}
