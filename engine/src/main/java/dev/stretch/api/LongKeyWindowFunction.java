package dev.stretch.api;

/**
 * Turns a long key's window aggregates into the output element, without boxing the key.
 *
 * @param <R> the aggregate's result: {@link AggregateValues} for a {@link CompositeAggregation} (a view
 *     valid only during the call)
 * @param <OUT> output element
 */
@FunctionalInterface
public interface LongKeyWindowFunction<R, OUT> {
    OUT apply(long key, TimeWindow window, R result) throws Exception;
}
