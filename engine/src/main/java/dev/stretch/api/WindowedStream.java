package dev.stretch.api;

import dev.stretch.engine.plan.WindowLogic;
import dev.stretch.engine.plan.WindowNode;
import java.util.List;
import java.util.Objects;

/** A keyed stream with windows; finish it with an aggregation or a window function. */
public class WindowedStream<T, K> {
    private final KeyedStream<T, K> keyed;
    private final Windows windows;

    WindowedStream(KeyedStream<T, K> keyed, Windows windows) {
        this.keyed = keyed;
        this.windows = Objects.requireNonNull(windows, "windows");
    }

    /** Aggregates each key's window; emits one {@link WindowResult} per key and window. */
    public <ACC, R> WindowedOperator<WindowResult<K, R>> aggregate(AggregateFunction<T, ACC, R> aggregate) {
        return build(WindowLogic.aggregate(Objects.requireNonNull(aggregate), null));
    }

    /** Aggregates each key's window and turns each result into an output element. */
    public <ACC, R, OUT> WindowedOperator<OUT> aggregate(AggregateFunction<T, ACC, R> aggregate,
            WindowResultFunction<K, R, OUT> result) {
        return build(WindowLogic.aggregate(Objects.requireNonNull(aggregate), Objects.requireNonNull(result)));
    }

    /** Runs the general windowed operator. */
    public <P, OUT> WindowedOperator<OUT> process(WindowProcessFunction<T, K, P, OUT> function) {
        return build(WindowLogic.process(Objects.requireNonNull(function)));
    }

    <OUT> WindowedOperator<OUT> build(WindowLogic logic) {
        StreamEnvironment env = keyed.input.env;
        int id = env.nextId();
        WindowNode n = new WindowNode(id, "window-" + logic.kindName() + "-" + id, List.of(keyed.input.node),
                List.of(keyed.key), windows, logic);
        return new WindowedOperator<>(env, env.add(n));
    }
}
