package dev.stretch.api;

/**
 * An incremental aggregation, as in Flink: elements are added to an accumulator; accumulators of
 * adjacent slices of a window are merged; the result is read from the final accumulator.
 *
 * @param <IN> element type
 * @param <ACC> accumulator type (may be mutated and returned by {@link #add} and {@link #merge})
 * @param <OUT> result type
 */
public interface AggregateFunction<IN, ACC, OUT> {
    ACC createAccumulator();

    ACC add(IN value, ACC accumulator) throws Exception;

    /** Combines two accumulators; {@code a} may be reused for the result. */
    ACC merge(ACC a, ACC b);

    OUT getResult(ACC accumulator);
}
