package dev.stretch.engine.plan;

import dev.stretch.api.FilterFunction;
import dev.stretch.api.FlatMapFunction;
import dev.stretch.api.MapFunction;
import java.util.List;

/**
 * A stateless operator (map, filter, flatMap). It runs chained into the stage that produces its input,
 * like Flink's operator chaining, so it costs a method call per element and no queue; its parallelism
 * is that stage's.
 */
public final class ChainedNode extends StreamNode {
    /** Which stateless operation. */
    public enum Kind { MAP, FILTER, FLAT_MAP }

    private final Kind kind;
    private final Object function;

    private ChainedNode(int id, String name, StreamNode input, Kind kind, Object function) {
        super(id, name, List.of(input));
        this.kind = kind;
        this.function = function;
    }

    public static ChainedNode map(int id, StreamNode input, MapFunction<?, ?> f) {
        return new ChainedNode(id, "map-" + id, input, Kind.MAP, f);
    }

    public static ChainedNode filter(int id, StreamNode input, FilterFunction<?> f) {
        return new ChainedNode(id, "filter-" + id, input, Kind.FILTER, f);
    }

    public static ChainedNode flatMap(int id, StreamNode input, FlatMapFunction<?, ?> f) {
        return new ChainedNode(id, "flatMap-" + id, input, Kind.FLAT_MAP, f);
    }

    public Kind kind() {
        return kind;
    }

    public Object function() {
        return function;
    }

    @Override
    public boolean isChained() {
        return true;
    }

    @Override
    public void parallelism(int p) {
        throw new UnsupportedOperationException("'" + name() + "' is a stateless operator chained into the stage "
                + "that produces its input and runs at that stage's parallelism; set the parallelism there");
    }
}
