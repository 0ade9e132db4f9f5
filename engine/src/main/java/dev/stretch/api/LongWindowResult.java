package dev.stretch.api;

/**
 * The result of a built-in aggregation with a long value (count, or sum/min/max of a long field) over a
 * long key ({@link DataStream#keyByLong}): primitive fields, one object per result, nothing boxed.
 * Emitted with the timestamp {@code end - 1}.
 */
public record LongWindowResult(long key, long start, long end, long value) {
}
