package dev.stretch.api;

/** Where a stream ends. */
@FunctionalInterface
public interface Sink<T> {
    /** Opens the writer of one sink instance. */
    SinkWriter<T> createWriter(int instance) throws Exception;
}
