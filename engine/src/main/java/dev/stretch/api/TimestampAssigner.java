package dev.stretch.api;

/** Extracts an element's event time (ms), given the timestamp its source attached (or {@code Long.MIN_VALUE}). */
@FunctionalInterface
public interface TimestampAssigner<T> {
    long extractTimestamp(T element, long recordTimestamp);
}
