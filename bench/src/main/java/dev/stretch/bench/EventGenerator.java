package dev.stretch.bench;

import java.util.SplittableRandom;

/**
 * Deterministic benchmark input: event {@code i} of a stream has timestamp {@code i / eventsPerMs}, a key
 * drawn uniformly or from a Zipf distribution over {@code keys} keys, and a value in [0, 1000). The same
 * (seed, i) always gives the same event, so every contender (this engine, Flink, the hand-written loop)
 * computes over identical data.
 */
public final class EventGenerator {
    private final SplittableRandom rnd;
    private final int keys;
    private final double[] zipfCdf;
    private final long eventsPerMs;
    private long i;

    public EventGenerator(long seed, int keys, boolean zipf, long eventsPerMs) {
        this.rnd = new SplittableRandom(seed);
        this.keys = keys;
        this.zipfCdf = zipf ? cdf(keys, 1.0) : null;
        this.eventsPerMs = eventsPerMs;
    }

    /** Timestamp of the next event. */
    public long nextTs() {
        return i / eventsPerMs;
    }

    public long nextKey() {
        if (zipfCdf == null) {
            return rnd.nextInt(keys);
        }
        double u = rnd.nextDouble();
        int lo = 0;
        int hi = zipfCdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The next event's fields, in order: call nextTs, nextKey, nextValue, then advance. */
    public long nextValue() {
        return rnd.nextInt(1000);
    }

    public void advance() {
        i++;
    }

    public Event next() {
        Event e = new Event(nextTs(), nextKey(), nextValue());
        advance();
        return e;
    }

    public long count() {
        return i;
    }

    private static double[] cdf(int n, double s) {
        double[] c = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, s);
            c[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            c[k] /= sum;
        }
        return c;
    }
}
