package dev.stretch.api;

/**
 * A built-in aggregation over a primitive field (see {@link Aggregations}). As an
 * {@link AggregateFunction} its accumulator is {@code double[] {sum or extreme, count}} (long values
 * are kept exactly in a {@code long[]}), so it also works wherever a generic aggregate is expected.
 *
 * @param <T> element type
 * @param <R> result type: {@code Long} for count and for sum/min/max of long fields, {@code Double}
 *     otherwise
 */
public final class PrimitiveAggregation<T, R> implements AggregateFunction<T, Object, R> {
    /** The operation. */
    public enum Kind { COUNT, SUM, MIN, MAX, AVG }

    private final Kind kind;
    private final LongField<T> longField;
    private final DoubleField<T> doubleField;

    PrimitiveAggregation(Kind kind, LongField<T> longField, DoubleField<T> doubleField) {
        this.kind = kind;
        this.longField = longField;
        this.doubleField = doubleField;
    }

    public Kind kind() {
        return kind;
    }

    /** The long field, or {@code null} for count and double aggregations. */
    public LongField<T> longField() {
        return longField;
    }

    /** The double field, or {@code null} for count and long aggregations. */
    public DoubleField<T> doubleField() {
        return doubleField;
    }

    /** Whether the state is kept as {@code double} (a double field) rather than {@code long}. */
    public boolean isDouble() {
        return doubleField != null;
    }

    @Override
    public Object createAccumulator() {
        if (isDouble()) {
            return new double[] {identityDouble(), 0};
        }
        return new long[] {identityLong(), 0};
    }

    @Override
    public Object add(T value, Object acc) throws Exception {
        if (isDouble()) {
            double[] a = (double[]) acc;
            a[0] = combine(a[0], doubleField.get(value));
            a[1]++;
        } else {
            long[] a = (long[]) acc;
            a[0] = combine(a[0], kind == Kind.COUNT ? 1 : longField.get(value));
            a[1]++;
        }
        return acc;
    }

    @Override
    public Object merge(Object x, Object y) {
        if (isDouble()) {
            double[] a = (double[]) x;
            double[] b = (double[]) y;
            a[0] = kind == Kind.COUNT || kind == Kind.SUM || kind == Kind.AVG ? a[0] + b[0] : combine(a[0], b[0]);
            a[1] += b[1];
            return a;
        }
        long[] a = (long[]) x;
        long[] b = (long[]) y;
        a[0] = kind == Kind.COUNT || kind == Kind.SUM || kind == Kind.AVG ? a[0] + b[0] : combine(a[0], b[0]);
        a[1] += b[1];
        return a;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R getResult(Object acc) {
        if (isDouble()) {
            double[] a = (double[]) acc;
            return (R) Double.valueOf(kind == Kind.AVG ? a[0] / a[1] : a[0]);
        }
        long[] a = (long[]) acc;
        if (kind == Kind.AVG) {
            return (R) Double.valueOf((double) a[0] / a[1]);
        }
        return (R) Long.valueOf(a[0]);
    }

    /** The neutral element of the long operation. */
    public long identityLong() {
        return switch (kind) {
            case MIN -> Long.MAX_VALUE;
            case MAX -> Long.MIN_VALUE;
            default -> 0L;
        };
    }

    /** The neutral element of the double operation. */
    public double identityDouble() {
        return switch (kind) {
            case MIN -> Double.POSITIVE_INFINITY;
            case MAX -> Double.NEGATIVE_INFINITY;
            default -> 0.0;
        };
    }

    /** Folds one value (or a partial result) into a long state. */
    public long combine(long state, long v) {
        return switch (kind) {
            case COUNT -> state + 1;
            case SUM, AVG -> state + v;
            case MIN -> Math.min(state, v);
            case MAX -> Math.max(state, v);
        };
    }

    /** Folds one value (or a partial result) into a double state. */
    public double combine(double state, double v) {
        return switch (kind) {
            case COUNT -> state + 1;
            case SUM, AVG -> state + v;
            case MIN -> Math.min(state, v);
            case MAX -> Math.max(state, v);
        };
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
