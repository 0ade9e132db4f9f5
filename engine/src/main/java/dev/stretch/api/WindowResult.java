package dev.stretch.api;

/**
 * The result of a keyed window aggregation: key, window bounds and value. Emitted with the timestamp
 * {@code end - 1}.
 */
public record WindowResult<K, V>(K key, long start, long end, V value) {
}
