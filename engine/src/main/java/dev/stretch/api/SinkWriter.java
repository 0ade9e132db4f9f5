package dev.stretch.api;

/**
 * Receives a sink instance's elements, from one thread at a time. A sink stage of its own (one that
 * {@link DataStreamSink#disableChaining() is not chained} or has its own parallelism) hands each writer its
 * share in (timestamp, order) sequence; a chained sink's writer {@code i} gets what producer instance
 * {@code i} emits, in the order it emits it (a window instance: by window end; a source split: its order).
 */
public interface SinkWriter<T> extends AutoCloseable {
    void write(T element, long timestamp) throws Exception;

    /**
     * The instance's event-time progress: no element at or below {@code watermark} will follow. Called after
     * elements and when the input's watermark advances; a transactional sink commits up to it.
     */
    default void progress(long watermark) throws Exception {
    }

    /** Called when the instance has nothing to write for now; buffered output should go out. */
    default void flush() throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
