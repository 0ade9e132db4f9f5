package dev.stretch.engine.esg;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits for an ESG to have room or data: spin briefly, then yield, then park for a
 * growing interval up to a cap.
 *
 * <p>Trade-off: spinning answers in nanoseconds but burns a core, which on a 2-core machine with more
 * threads than cores steals time from the thread being waited for; parking frees the core but adds up
 * to {@code maxParkNanos} of latency. The defaults keep that added latency under 0.5 ms. One instance
 * per thread; not thread-safe.
 */
public final class Backoff {
    private static final int SPINS = 32;
    private static final int YIELDS = 8;
    private static final long MIN_PARK_NANOS = 5_000;

    private final long maxParkNanos;
    private int rounds;
    private long parkNanos = MIN_PARK_NANOS;

    public Backoff() {
        this(500_000);
    }

    public Backoff(long maxParkNanos) {
        this.maxParkNanos = maxParkNanos;
    }

    /** Waits one round. */
    public void idle() {
        int r = rounds++;
        if (r < SPINS) {
            Thread.onSpinWait();
        } else if (r < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(maxParkNanos, parkNanos << 1);
        }
    }

    /** Called after progress: the next wait starts with spinning again. */
    public void reset() {
        rounds = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
