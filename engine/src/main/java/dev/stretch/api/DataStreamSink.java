package dev.stretch.api;

import dev.stretch.engine.plan.SinkNode;

/**
 * The end of a stream; configure the sink operator here.
 *
 * <p>By default a sink is <b>chained</b> into the operator that produces its input, as in Flink: it runs
 * on that operator's threads at its parallelism (and follows it when that operator is rescaled), sink
 * instance {@code i} writing what producer instance {@code i} emits; each key's results reach their
 * writer in order. No queue, no thread of its own. {@link #setParallelism} or {@link #disableChaining()}
 * make it a stage of its own instead, which merges all producer instances into one deterministic
 * (timestamp, order) sequence per writer: the same output, in the same order, at every parallelism.
 */
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
     * Runs the sink as a stage of its own with this many instances (not chained). With more than one, each
     * instance receives the elements of a fixed subset of the upstream lanes (source splits or key
     * groups), each subset in order; with one, the whole output in one deterministic order.
     */
    public DataStreamSink<T> setParallelism(int parallelism) {
        node.parallelism(parallelism);
        return this;
    }

    /**
     * Runs the sink as a stage of its own (one instance unless {@link #setParallelism} says otherwise)
     * instead of chained into its producer: one writer receives the whole output in (timestamp, order)
     * sequence, identical at every parallelism and across reconfigurations.
     */
    public DataStreamSink<T> disableChaining() {
        node.disableChaining();
        return this;
    }
}
