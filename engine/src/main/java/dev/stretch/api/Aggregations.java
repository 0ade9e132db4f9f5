package dev.stretch.api;

/**
 * The built-in window aggregations: count, sum, min, max and average over a {@code long} or
 * {@code double} field. They are ordinary {@link AggregateFunction}s, and the engine also recognises
 * them and keeps their state in primitive columns (no accumulator object per key, no boxing per
 * element), which is where most of a keyed aggregate's time would otherwise go.
 */
public final class Aggregations {
    private Aggregations() {
    }

    public static <T> PrimitiveAggregation<T, Long> count() {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.COUNT, null, null);
    }

    public static <T> PrimitiveAggregation<T, Long> sum(LongField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.SUM, field, null);
    }

    public static <T> PrimitiveAggregation<T, Long> min(LongField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.MIN, field, null);
    }

    public static <T> PrimitiveAggregation<T, Long> max(LongField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.MAX, field, null);
    }

    public static <T> PrimitiveAggregation<T, Double> avg(LongField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.AVG, field, null);
    }

    public static <T> PrimitiveAggregation<T, Double> sumDouble(DoubleField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.SUM, null, field);
    }

    public static <T> PrimitiveAggregation<T, Double> minDouble(DoubleField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.MIN, null, field);
    }

    public static <T> PrimitiveAggregation<T, Double> maxDouble(DoubleField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.MAX, null, field);
    }

    public static <T> PrimitiveAggregation<T, Double> avgDouble(DoubleField<T> field) {
        return new PrimitiveAggregation<>(PrimitiveAggregation.Kind.AVG, null, field);
    }

    /**
     * Several built-in aggregations over the same window, computed together on primitive state (one key
     * lookup per element for all of them); the result is an {@link AggregateValues} in this order. E.g.
     * {@code Aggregations.of(count(), sum(Order::cents), max(Order::cents), avg(Order::cents))}.
     */
    @SafeVarargs
    public static <T> CompositeAggregation<T> of(PrimitiveAggregation<T, ?>... aggregations) {
        if (aggregations.length == 0) {
            throw new IllegalArgumentException("Aggregations.of needs at least one aggregation");
        }
        for (int i = 0; i < aggregations.length; i++) {
            if (aggregations[i] == null) {
                throw new IllegalArgumentException("aggregation " + i + " of Aggregations.of is null");
            }
        }
        return new CompositeAggregation<>(java.util.List.of(aggregations));
    }
}
