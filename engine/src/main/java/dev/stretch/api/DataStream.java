package dev.stretch.api;

import dev.stretch.engine.plan.ChainedNode;
import dev.stretch.engine.plan.KeySpec;
import dev.stretch.engine.plan.SinkNode;
import dev.stretch.engine.plan.StreamNode;
import java.util.Objects;

/**
 * A stream of elements of type {@code T}, each with an event timestamp. Transformations return new
 * streams; {@link #name} and {@link #setParallelism} configure the operator that produced this one.
 */
public class DataStream<T> {
    final StreamEnvironment env;
    final StreamNode node;

    DataStream(StreamEnvironment env, StreamNode node) {
        this.env = env;
        this.node = node;
    }

    public <R> DataStream<R> map(MapFunction<T, R> f) {
        return new DataStream<>(env, env.add(ChainedNode.map(env.nextId(), node, Objects.requireNonNull(f))));
    }

    public DataStream<T> filter(FilterFunction<T> f) {
        return new DataStream<>(env, env.add(ChainedNode.filter(env.nextId(), node, Objects.requireNonNull(f))));
    }

    public <R> DataStream<R> flatMap(FlatMapFunction<T, R> f) {
        return new DataStream<>(env, env.add(ChainedNode.flatMap(env.nextId(), node, Objects.requireNonNull(f))));
    }

    /** Partitions the stream by an object key (its {@code hashCode} picks the key group). */
    public <K> KeyedStream<T, K> keyBy(KeySelector<T, K> key) {
        return new KeyedStream<>(this, KeySpec.ofObject(Objects.requireNonNull(key)));
    }

    /** Partitions the stream by a primitive long key: state without boxing, the fast path. */
    public LongKeyedStream<T> keyByLong(LongKeySelector<T> key) {
        return new LongKeyedStream<>(this, KeySpec.ofLong(Objects.requireNonNull(key)));
    }

    /**
     * Partitions the stream by several object keys per element: a windowed operator on the result adds each
     * element to every one of its distinct keys (the hashtags of a post: one count per hashtag). In VSN mode
     * the element is written once to the operator's shared input and each instance adds it for the keys
     * whose key groups it owns; in SN mode a copy per key is routed to the key's instance.
     */
    public <K> KeyedStream<T, K> keyByMany(MultiKeySelector<T, K> keys) {
        return new KeyedStream<>(this, KeySpec.ofObjectMulti(Objects.requireNonNull(keys)));
    }

    /** As {@link #keyByMany}, over primitive long keys: state without boxing, the fast path. */
    public LongKeyedStream<T> keyByManyLong(LongMultiKeySelector<T> keys) {
        return new LongKeyedStream<>(this, KeySpec.ofLongMulti(Objects.requireNonNull(keys)));
    }

    /** Starts a window join with another stream. */
    public <U> JoinedStreams<T, U> join(DataStream<U> other) {
        return new JoinedStreams<>(this, other);
    }

    public DataStreamSink<T> sinkTo(Sink<? super T> sink) {
        SinkNode n = env.add(new SinkNode(env.nextId(), "sink-" + env.nextId(), node, Objects.requireNonNull(sink)));
        return new DataStreamSink<>(n);
    }

    /** Names the operator that produces this stream (names appear in metrics, errors and control calls). */
    public DataStream<T> name(String name) {
        node.name(name);
        return this;
    }

    /**
     * Sets the instances of the operator that produces this stream, in this process: splits for a source,
     * instances for a windowed operator. Stateless operators run at the parallelism of the stage they
     * are chained to.
     */
    public DataStream<T> setParallelism(int parallelism) {
        node.parallelism(parallelism);
        return this;
    }

    /** The operator's name. */
    public String operatorName() {
        return node.name();
    }
}
