package dev.stretch.runtime.pipeline;

import java.time.Duration;

/**
 * The CPU work a window stage's {@code simulatedWork} adds to every record it aggregates: a chain of
 * 64-bit mixing steps (the SplitMix64 finaliser), each depending on the one before, so it is real
 * computation on the record's thread that the JIT cannot drop or overlap, and a thread doing it is as busy
 * as one parsing or scoring records. Never a sleep. The number of steps per record is calibrated once per
 * process, taking the fastest of many timed rounds so that a loaded machine (where a round may be
 * descheduled) does not shrink the work; on a loaded machine the work then takes longer, as real work
 * would.
 */
final class SimulatedWork {
    private static final double STEPS_PER_NANO = calibrate();
    /** Written only when a result hits one value in 2^64, so that the result is used and the loop stays. */
    @SuppressWarnings("unused")
    private static volatile long sink;

    private final long steps;

    SimulatedWork(Duration perRecord) {
        this.steps = Math.max(1, Math.round(perRecord.toNanos() * STEPS_PER_NANO));
    }

    /** Does the work of one record. */
    void spend(long seed) {
        long x = run(seed, steps);
        if (x == 0x5DEECE66DL) {
            sink = x;
        }
    }

    private static long run(long seed, long steps) {
        long z = seed;
        for (long i = 0; i < steps; i++) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            z ^= z >>> 31;
        }
        return z;
    }

    /**
     * Times rounds of the loop until the fastest has not improved by 1 % for 20 rounds (the JIT has compiled
     * it, which in a cold JVM takes a while; timing the interpreted loop would make every record's work too
     * short), at most half a second.
     */
    private static double calibrate() {
        final long steps = 100_000;
        long best = Long.MAX_VALUE;
        long acc = 0;
        long deadline = System.nanoTime() + 500_000_000L;
        int sinceBetter = 0;
        for (int round = 0; sinceBetter < 20 && System.nanoTime() < deadline; round++) {
            long t0 = System.nanoTime();
            acc += run(round, steps);
            long t = System.nanoTime() - t0;
            if (t < best * 0.99) {
                best = t;
                sinceBetter = 0;
            } else {
                sinceBetter++;
            }
        }
        if (acc == 0x5DEECE66DL) {
            sink = acc;
        }
        return steps / (double) Math.max(1, best);
    }
}
