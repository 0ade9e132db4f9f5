package dev.stretch.bench;

/**
 * Deterministic benchmark input, addressable by index: event {@code i} of a stream has a key drawn
 * uniformly or from a Zipf (s = 1.0) distribution over {@code keys} keys and a value in [0, 1000), both
 * computed from {@code (seed, i)} alone. Any split can therefore generate any subset of indices and still
 * agree bit for bit with a plain loop, which is what lets every contender compute over identical data.
 *
 * <p>The draws are those of {@link java.util.SplittableRandom}: its {@code k}-th {@code nextLong()} is
 * {@code mix64(seed + k * GAMMA)}; event {@code i} uses draws {@code 2i + 1} (key) and {@code 2i + 2}
 * (value). Zipf rank 0 is the hottest key.
 */
public final class EventGenerator {
    static final long GAMMA = 0x9e3779b97f4a7c15L;

    private final long seed;
    private final int keys;
    private final double[] zipfCdf;

    public EventGenerator(long seed, int keys, boolean zipf) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be >= 1, was " + keys);
        }
        this.seed = seed;
        this.keys = keys;
        this.zipfCdf = zipf ? zipfCdf(keys) : null;
    }

    /** SplittableRandom's output finaliser (Stafford variant 13). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public int key(long i) {
        long r = mix64(seed + (2 * i + 1) * GAMMA);
        if (zipfCdf == null) {
            return (int) (((r >>> 32) * keys) >>> 32);
        }
        double u = (r >>> 11) * 0x1.0p-53;
        // first k with cdf[k] > u
        int lo = 0;
        int hi = keys - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Uniform in [0, 1000); not {@code nextInt(1000)}, whose rejection loop would break addressing by index. */
    public int value(long i) {
        long r = mix64(seed + (2 * i + 2) * GAMMA);
        return (int) (((r >>> 32) * 1000) >>> 32);
    }

    public int keys() {
        return keys;
    }

    private static double[] zipfCdf(int n) {
        double[] c = new double[n];
        double h = 0;
        for (int k = 0; k < n; k++) {
            h += 1.0 / (k + 1);
            c[k] = h;
        }
        for (int k = 0; k < n; k++) {
            c[k] /= h;
        }
        c[n - 1] = 1.0;
        return c;
    }
}
