package dev.stretch.api;

/** Reads a {@code double} field of an element, without boxing. */
@FunctionalInterface
public interface DoubleField<T> {
    double get(T element) throws Exception;
}
