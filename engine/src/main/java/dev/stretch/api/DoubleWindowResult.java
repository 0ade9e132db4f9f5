package dev.stretch.api;

/**
 * The result of a built-in aggregation with a double value (an average, or an aggregation of a double
 * field) over a long key ({@link DataStream#keyByLong}): primitive fields, nothing boxed. Emitted with
 * the timestamp {@code end - 1}.
 */
public record DoubleWindowResult(long key, long start, long end, double value) {
}
