package dev.stretch.api;

/** Reads a {@code long} field of an element, without boxing. */
@FunctionalInterface
public interface LongField<T> {
    long get(T element) throws Exception;
}
