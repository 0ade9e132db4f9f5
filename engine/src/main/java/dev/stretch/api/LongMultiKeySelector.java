package dev.stretch.api;

/**
 * {@link MultiKeySelector} over primitive {@code long} keys (the fast path: state in primitive tables, no
 * key boxed per element). Each distinct key counts once per element.
 */
@FunctionalInterface
public interface LongMultiKeySelector<T> {
    /** Emits the element's keys into {@code keys}, which is valid only during the call. */
    void keys(T value, LongKeyCollector keys) throws Exception;
}
