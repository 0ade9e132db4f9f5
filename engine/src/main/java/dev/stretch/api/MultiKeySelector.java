package dev.stretch.api;

/**
 * Extracts the keys of an element that belongs to several keys at once (the hashtags of a post, the grid
 * cells a moving object touches): a keyed operator behind {@link DataStream#keyByMany} adds the element
 * to the state of each of its keys, as if it had been keyed once per key.
 *
 * <p>Each distinct key counts once: a key emitted twice for one element (by {@code equals}) is added
 * once. Keys follow the rules of {@link KeySelector} (a stable {@code hashCode}; a {@code null} key makes
 * the element a bad record). An element with no keys contributes to no key, but still advances event time.
 */
@FunctionalInterface
public interface MultiKeySelector<T, K> {
    /** Emits the element's keys into {@code keys}, which is valid only during the call. */
    void keys(T value, Collector<K> keys) throws Exception;
}
