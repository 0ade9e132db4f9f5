package dev.stretch.api;

import dev.stretch.engine.plan.PrimitiveResults;
import dev.stretch.engine.plan.WindowLogic;
import java.util.Objects;

/**
 * A stream keyed by a primitive long key, with windows. Besides everything {@link WindowedStream} offers,
 * results without a boxed key: {@link #count()}, {@link #sum}, {@link #min}, {@link #max} give
 * {@link LongWindowResult}s, {@link #avg} a {@link DoubleWindowResult}, and
 * {@link #aggregateWithLongKey} hands the primitive key to the user's function (with a
 * {@link CompositeAggregation}: several built-in aggregates, on primitive state).
 */
public final class LongWindowedStream<T> extends WindowedStream<T, Long> {
    LongWindowedStream(LongKeyedStream<T> keyed, Windows windows) {
        super(keyed, windows);
    }

    /** Elements per key and window. */
    public WindowedOperator<LongWindowResult> count() {
        return aggregateLong(Aggregations.count());
    }

    /** Sum of a long field per key and window. */
    public WindowedOperator<LongWindowResult> sum(LongField<T> field) {
        return aggregateLong(Aggregations.sum(field));
    }

    /** Minimum of a long field per key and window. */
    public WindowedOperator<LongWindowResult> min(LongField<T> field) {
        return aggregateLong(Aggregations.min(field));
    }

    /** Maximum of a long field per key and window. */
    public WindowedOperator<LongWindowResult> max(LongField<T> field) {
        return aggregateLong(Aggregations.max(field));
    }

    /** Average of a long field per key and window. */
    public WindowedOperator<DoubleWindowResult> avg(LongField<T> field) {
        return aggregateDouble(Aggregations.avg(field));
    }

    /** A built-in aggregation with a long result (count, or sum/min/max of a long field). */
    public WindowedOperator<LongWindowResult> aggregateLong(PrimitiveAggregation<T, Long> aggregation) {
        return build(WindowLogic.aggregate(Objects.requireNonNull(aggregation), PrimitiveResults.LONG));
    }

    /** A built-in aggregation with a double result (an average, or an aggregation of a double field). */
    public WindowedOperator<DoubleWindowResult> aggregateDouble(PrimitiveAggregation<T, Double> aggregation) {
        return build(WindowLogic.aggregate(Objects.requireNonNull(aggregation), PrimitiveResults.DOUBLE));
    }

    /**
     * Aggregates each key's window and turns each result into an output element, with the key as a
     * primitive. With a {@link CompositeAggregation} ({@link Aggregations#of}) the function receives an
     * {@link AggregateValues} view over the engine's primitive state, valid during the call.
     */
    public <R, OUT> WindowedOperator<OUT> aggregateWithLongKey(AggregateFunction<T, ?, R> aggregate,
            LongKeyWindowFunction<R, OUT> result) {
        return build(WindowLogic.aggregate(Objects.requireNonNull(aggregate),
                new PrimitiveResults.LongKey(Objects.requireNonNull(result))));
    }
}
