package dev.stretch.api;

import java.util.List;

/**
 * Several built-in aggregations over one window, computed together ({@link Aggregations#of}): e.g. the
 * count, sum, min, max and average of a field in one pass. The engine keeps them in primitive columns
 * side by side (one key lookup per element for all of them, no accumulator object per key and window);
 * the result is an {@link AggregateValues}. As an {@link AggregateFunction} it also works wherever a
 * generic aggregate is expected (its accumulator is then an array of the parts' accumulators).
 *
 * @param <T> element type
 */
public final class CompositeAggregation<T> implements AggregateFunction<T, Object[], AggregateValues> {
    private final List<PrimitiveAggregation<T, ?>> parts;

    CompositeAggregation(List<PrimitiveAggregation<T, ?>> parts) {
        this.parts = List.copyOf(parts);
    }

    /** The aggregations, in result order. */
    public List<PrimitiveAggregation<T, ?>> parts() {
        return parts;
    }

    @Override
    public Object[] createAccumulator() {
        Object[] a = new Object[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) {
            a[i] = parts.get(i).createAccumulator();
        }
        a[parts.size()] = new long[1];
        return a;
    }

    @Override
    public Object[] add(T value, Object[] acc) throws Exception {
        for (int i = 0; i < parts.size(); i++) {
            acc[i] = parts.get(i).add(value, acc[i]);
        }
        ((long[]) acc[parts.size()])[0]++;
        return acc;
    }

    @Override
    public Object[] merge(Object[] a, Object[] b) {
        for (int i = 0; i < parts.size(); i++) {
            a[i] = parts.get(i).merge(a[i], b[i]);
        }
        ((long[]) a[parts.size()])[0] += ((long[]) b[parts.size()])[0];
        return a;
    }

    @Override
    public AggregateValues getResult(Object[] acc) {
        int n = parts.size();
        long[] l = new long[n];
        double[] d = new double[n];
        boolean[] dbl = new boolean[n];
        for (int i = 0; i < n; i++) {
            Object r = parts.get(i).getResult(acc[i]);
            if (r instanceof Double x) {
                dbl[i] = true;
                d[i] = x;
            } else {
                l[i] = (Long) r;
            }
        }
        return new AggregateValues.Snapshot(((long[]) acc[n])[0], l, d, dbl);
    }

    @Override
    public String toString() {
        return "composite" + parts;
    }
}
