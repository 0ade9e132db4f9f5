package dev.stretch.api;

/** Receives the elements a function emits. Valid only during the call it was passed to. */
@FunctionalInterface
public interface Collector<T> {
    void collect(T record);
}
