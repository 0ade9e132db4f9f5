package dev.stretch.api;

/** Where a {@link SplitReader} puts what it reads. */
public interface SourceOutput<T> {
    /** Emits an element with its event time (ms). */
    void collect(T element, long timestamp);

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
