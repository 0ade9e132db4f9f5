package dev.stretch.api;

/**
 * Reads one split. Called by one thread at a time (the thread may change when the source is rescaled).
 */
public interface SplitReader<T> extends AutoCloseable {
    /**
     * Emits some records (typically up to a few thousand) to {@code output} and says what to do next.
     * Must not block for long: return {@link ReadResult#idle(long)} instead.
     */
    ReadResult read(SourceOutput<T> output) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
