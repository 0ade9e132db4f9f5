package dev.stretch.runtime.connect;

import java.util.SplittableRandom;

/**
 * How a generator draws keys from {@code [0, keys)}: uniformly, or Zipf-distributed with key {@code k}
 * drawn with probability proportional to {@code 1 / (k + 1)^skew} (key 0 is the hottest). Zipf keys are
 * drawn by inverting a cumulative table with a binary search; the table is built once, with
 * {@link StrictMath}, and shared read-only by all splits.
 */
final class KeyDistribution {
    /** The cumulative table costs 8 bytes a key; beyond this it would dominate the heap. */
    static final int MAX_SKEWED_KEYS = 1 << 22;

    private final int keys;
    /** {@code cumulative[k]} = P(key <= k); null when uniform. The last entry is exactly 1. */
    private final double[] cumulative;

    private KeyDistribution(int keys, double[] cumulative) {
        this.keys = keys;
        this.cumulative = cumulative;
    }

    static KeyDistribution of(int keys, double skew) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be >= 1, was " + keys);
        }
        if (!(skew >= 0) || Double.isInfinite(skew)) {
            throw new IllegalArgumentException("skew must be a finite number >= 0, was " + skew);
        }
        if (skew == 0) {
            return new KeyDistribution(keys, null);
        }
        if (keys > MAX_SKEWED_KEYS) {
            throw new IllegalArgumentException("a skewed generator supports at most " + MAX_SKEWED_KEYS
                    + " keys, was " + keys);
        }
        double[] c = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) {
            sum += 1 / StrictMath.pow(k + 1, skew);
            c[k] = sum;
        }
        for (int k = 0; k < keys; k++) {
            c[k] /= sum;
        }
        c[keys - 1] = 1.0;
        return new KeyDistribution(keys, c);
    }

    int keys() {
        return keys;
    }

    /** The probability of key {@code k}. */
    double probability(int k) {
        if (cumulative == null) {
            return 1.0 / keys;
        }
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }

    int sample(SplittableRandom random) {
        if (cumulative == null) {
            return random.nextInt(keys);
        }
        double u = random.nextDouble();
        // smallest k with cumulative[k] > u; exists because cumulative[keys - 1] = 1 > u
        int lo = 0;
        int hi = keys - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
