package dev.stretch.api;

import dev.stretch.engine.plan.KeySpec;

/** A stream partitioned by key; next, choose its windows. */
public class KeyedStream<T, K> {
    final DataStream<T> input;
    final KeySpec key;

    KeyedStream(DataStream<T> input, KeySpec key) {
        this.input = input;
        this.key = key;
    }

    public WindowedStream<T, K> window(Windows windows) {
        return new WindowedStream<>(this, windows);
    }
}
