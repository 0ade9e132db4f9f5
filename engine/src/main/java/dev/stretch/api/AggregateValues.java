package dev.stretch.api;

/**
 * The values of a {@link CompositeAggregation} for one key and window, in the order its aggregations
 * were given to {@link Aggregations#of}. Read a count, sum, min or max of a long field with
 * {@link #getLong}, an average or an aggregation of a double field with {@link #getDouble}.
 *
 * <p>The engine hands a window function a view over its primitive state columns, valid only during
 * that call: keep {@link #copy()} if the values must outlive it.
 */
public interface AggregateValues {
    /** Number of aggregations. */
    int size();

    /** Elements aggregated (the same for every aggregation of the composite). */
    long count();

    /**
     * Aggregation {@code i} as a long: count, or sum/min/max of a long field.
     *
     * @throws IllegalStateException for an average or a double aggregation (use {@link #getDouble})
     */
    long getLong(int i);

    /** Aggregation {@code i} as a double: any aggregation (long values widened). */
    double getDouble(int i);

    /** Aggregation {@code i} boxed, as its single {@link PrimitiveAggregation} would return it. */
    default Object get(int i) {
        return isDouble(i) ? (Object) getDouble(i) : (Object) getLong(i);
    }

    /** Whether aggregation {@code i} has a double result (an average, or a double field). */
    boolean isDouble(int i);

    /** An immutable copy. */
    default AggregateValues copy() {
        int n = size();
        long[] l = new long[n];
        double[] d = new double[n];
        boolean[] dbl = new boolean[n];
        for (int i = 0; i < n; i++) {
            dbl[i] = isDouble(i);
            if (dbl[i]) {
                d[i] = getDouble(i);
            } else {
                l[i] = getLong(i);
            }
        }
        return new Snapshot(count(), l, d, dbl);
    }

    /** An immutable {@link AggregateValues}; equal when the values are. */
    record Snapshot(long count, long[] longs, double[] doubles, boolean[] doubleFlags) implements AggregateValues {
        @Override
        public int size() {
            return longs.length;
        }

        @Override
        public long getLong(int i) {
            if (doubleFlags[i]) {
                throw new IllegalStateException("aggregation " + i + " has a double result; use getDouble");
            }
            return longs[i];
        }

        @Override
        public double getDouble(int i) {
            return doubleFlags[i] ? doubles[i] : longs[i];
        }

        @Override
        public boolean isDouble(int i) {
            return doubleFlags[i];
        }

        @Override
        public AggregateValues copy() {
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && count == s.count && java.util.Arrays.equals(longs, s.longs)
                    && java.util.Arrays.equals(doubles, s.doubles) && java.util.Arrays.equals(doubleFlags, s.doubleFlags);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(longs) * 31 + java.util.Arrays.hashCode(doubles) + Long.hashCode(count);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < size(); i++) {
                b.append(i == 0 ? "" : ", ").append(get(i));
            }
            return b.append(']').toString();
        }
    }
}
