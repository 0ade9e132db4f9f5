package dev.stretch.api;

/**
 * Extracts a primitive {@code long} key. Keyed operators over long keys keep their state in primitive
 * hash tables, without boxing a key per element: the fast path for numeric keys.
 */
@FunctionalInterface
public interface LongKeySelector<T> {
    long getKey(T value) throws Exception;
}
