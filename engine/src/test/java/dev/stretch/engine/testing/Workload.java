package dev.stretch.engine.testing;

import dev.stretch.engine.testing.ArraySource.Timed;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random inputs for engine tests: per-split event lists with a key distribution, optional
 * disorder within a bound, and optional elements beyond the bound (late).
 */
public final class Workload {
    /** How keys are drawn. */
    public enum Keys { UNIFORM, ZIPF, HOT_KEY }

    private Workload() {
    }

    /**
     * @param disorder maximum out-of-orderness in ms within a split (0: sorted)
     * @param lateEvery if > 0, about one element in {@code lateEvery} is pushed back far beyond the bound
     */
    public static List<List<Timed<Event>>> events(long seed, int splits, int perSplit, int keyCount, Keys keys,
            long disorder, int lateEvery, long keyOffset) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] zipfCdf = zipfCdf(keyCount, 1.0);
        List<List<Timed<Event>>> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            List<Timed<Event>> l = new ArrayList<>(perSplit);
            long ts = rnd.nextInt(0, 20);
            for (int i = 0; i < perSplit; i++) {
                if (rnd.nextInt(4) == 0) {
                    ts += rnd.nextInt(0, 6);
                }
                if (rnd.nextInt(500) == 0) {
                    ts += rnd.nextInt(100, 700); // a gap: windows with no data at all
                }
                long key = switch (keys) {
                    case UNIFORM -> rnd.nextInt(keyCount);
                    case ZIPF -> zipf(zipfCdf, rnd.nextDouble());
                    case HOT_KEY -> rnd.nextInt(10) < 9 ? 0 : rnd.nextInt(keyCount);
                } + keyOffset;
                long t = ts;
                if (disorder > 0) {
                    t = ts - rnd.nextLong(0, disorder + 1);
                }
                if (lateEvery > 0 && rnd.nextInt(lateEvery) == 0) {
                    t = ts - disorder - rnd.nextInt(5, 300);
                }
                l.add(new Timed<>(t, new Event(t, key, rnd.nextInt(1000))));
            }
            out.add(l);
        }
        return out;
    }

    /** Whether an element of a split is late for a bounded-out-of-orderness strategy with bound {@code disorder}. */
    public static boolean[] lateFlags(List<Timed<Event>> split, long disorder) {
        boolean[] late = new boolean[split.size()];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < split.size(); i++) {
            long t = split.get(i).ts();
            if (max != Long.MIN_VALUE && t <= max - disorder - 1) {
                late[i] = true;
                continue;
            }
            max = Math.max(max, t);
        }
        return late;
    }

    private static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static long zipf(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
