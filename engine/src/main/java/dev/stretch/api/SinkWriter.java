package dev.stretch.api;

/** Receives a sink instance's elements in (timestamp, order) sequence, from one thread. */
public interface SinkWriter<T> extends AutoCloseable {
    void write(T element, long timestamp) throws Exception;

    /** Called when the instance has nothing to write for now; buffered output should go out. */
    default void flush() throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
