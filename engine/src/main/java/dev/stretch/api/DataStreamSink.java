package dev.stretch.api;

import dev.stretch.engine.plan.SinkNode;

/** The end of a stream; configure the sink operator here. */
public final class DataStreamSink<T> {
    private final SinkNode node;

    DataStreamSink(SinkNode node) {
        this.node = node;
    }

    public DataStreamSink<T> name(String name) {
        node.name(name);
        return this;
    }

    /**
     * Sink instances. With more than one, each instance receives the elements of a fixed subset of the
     * upstream lanes (source splits or key groups), each subset in order.
     */
    public DataStreamSink<T> setParallelism(int parallelism) {
        node.parallelism(parallelism);
        return this;
    }
}
