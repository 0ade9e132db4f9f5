package dev.stretch.api;

/** Where a {@link SplitReader} puts what it reads. */
public interface SourceOutput<T> {
    /** Emits an element with its event time (ms). */
    void collect(T element, long timestamp);

    /**
     * Emits {@code count} elements with their event times (ms), in order: the same as calling
     * {@link #collect(Object, long)} for each, but the engine checks and numbers them per batch, which
     * makes the per-element cost of a fast source several times smaller. The arrays are read during the
     * call only: a reader may reuse them for its next batch.
     */
    default void collectBatch(T[] elements, long[] timestamps, int count) {
        for (int i = 0; i < count; i++) {
            collect(elements[i], timestamps[i]);
        }
    }

    /** Emits an element whose event time the {@link WatermarkStrategy}'s assigner extracts. */
    void collect(T element);

    /**
     * Declares that this split will emit nothing at or below {@code timestamp}: lets event time advance
     * while the split is quiet.
     */
    void markProgress(long timestamp);

    /**
     * Reports input that could not be turned into an element: it goes to the dead-letter output with
     * the reason and is counted; the job goes on.
     */
    void malformed(String rawRecord, String reason);
}
