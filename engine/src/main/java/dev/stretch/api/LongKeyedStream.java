package dev.stretch.api;

import dev.stretch.engine.plan.KeySpec;

/** A stream partitioned by a primitive long key ({@link DataStream#keyByLong}); next, choose its windows. */
public final class LongKeyedStream<T> extends KeyedStream<T, Long> {
    LongKeyedStream(DataStream<T> input, KeySpec key) {
        super(input, key);
    }

    @Override
    public LongWindowedStream<T> window(Windows windows) {
        return new LongWindowedStream<>(this, windows);
    }
}
