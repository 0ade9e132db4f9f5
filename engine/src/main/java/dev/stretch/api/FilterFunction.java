package dev.stretch.api;

/** Keeps the elements for which it returns {@code true}. May be called concurrently. */
@FunctionalInterface
public interface FilterFunction<T> {
    boolean filter(T value) throws Exception;
}
