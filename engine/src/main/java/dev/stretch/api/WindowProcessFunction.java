package dev.stretch.api;

/**
 * The general keyed windowed operator (the STRETCH paper's stateful operator), of which keyed
 * aggregation is a special case.
 *
 * <p>The engine splits event time into panes (slices of {@code gcd(size, slide)} ms) and keeps, per
 * key and pane, one state object built by {@link #createPane()} and {@link #update}. When a window
 * {@code [start, end)} closes (event time has passed {@code end - 1}), {@link #output} receives the
 * key's panes of that window, oldest first, and emits what the window yields. A pane that no open
 * window covers any more is dropped. Sliding windows therefore cost one update per element, not one per
 * window the element falls in.
 *
 * <p>Output happens only when a window closes, never on update: that keeps every instance's output
 * sorted by time and makes the result independent of the number of threads. For a given key the calls
 * come in event-time order from one thread at a time; different keys may be processed concurrently.
 *
 * @param <IN> element type
 * @param <K> key type
 * @param <P> pane state type
 * @param <OUT> output type
 */
public interface WindowProcessFunction<IN, K, P, OUT> {
    P createPane();

    /** Adds an element to a pane and returns the pane's new state (the same object or another). */
    P update(P pane, IN value) throws Exception;

    /** Emits the results of one key's window. {@code panes} is valid only during the call. */
    void output(K key, TimeWindow window, Iterable<P> panes, Collector<OUT> out) throws Exception;
}
