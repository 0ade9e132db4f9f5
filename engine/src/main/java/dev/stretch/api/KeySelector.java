package dev.stretch.api;

/**
 * Extracts the key of an element. The key's {@code hashCode} decides its key group, so it must be
 * stable across runs (not identity-based); a {@code null} key is a bad record.
 */
@FunctionalInterface
public interface KeySelector<T, K> {
    K getKey(T value) throws Exception;
}
