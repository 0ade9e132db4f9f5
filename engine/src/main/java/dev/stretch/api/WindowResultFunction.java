package dev.stretch.api;

/** Turns the result of a keyed window aggregation into the output element. */
@FunctionalInterface
public interface WindowResultFunction<K, R, OUT> {
    OUT apply(K key, TimeWindow window, R result) throws Exception;
}
