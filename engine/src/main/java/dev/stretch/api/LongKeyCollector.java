package dev.stretch.api;

/** Receives the primitive keys a {@link LongMultiKeySelector} emits. Valid only during the call it was passed to. */
@FunctionalInterface
public interface LongKeyCollector {
    void collect(long key);
}
