package dev.stretch.bench;

/** The benchmark event: event time (ms), key, value. The same type for every contender. */
public record Event(long ts, long key, long value) {
}
