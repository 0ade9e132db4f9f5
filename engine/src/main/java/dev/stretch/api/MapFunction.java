package dev.stretch.api;

/**
 * Transforms one element into one element. May be called concurrently by several instances: keep it
 * free of mutable shared state.
 */
@FunctionalInterface
public interface MapFunction<T, R> {
    R map(T value) throws Exception;
}
