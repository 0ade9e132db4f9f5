package dev.stretch.api;

/**
 * The general keyed windowed operator over two inputs, of which the window join is a special case. As
 * {@link WindowProcessFunction}, with one update method per input.
 */
public interface CoWindowProcessFunction<IN1, IN2, K, P, OUT> {
    P createPane();

    P update1(P pane, IN1 value) throws Exception;

    P update2(P pane, IN2 value) throws Exception;

    void output(K key, TimeWindow window, Iterable<P> panes, Collector<OUT> out) throws Exception;
}
