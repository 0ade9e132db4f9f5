package dev.stretch.api;

/** Turns one element into zero or more. May be called concurrently. */
@FunctionalInterface
public interface FlatMapFunction<T, R> {
    void flatMap(T value, Collector<R> out) throws Exception;
}
