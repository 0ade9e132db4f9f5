package dev.stretch.engine.testing;

/** A test event: event time, key, value. */
public record Event(long ts, long key, long value) {
}
