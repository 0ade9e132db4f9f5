package dev.stretch.engine.plan;

import dev.stretch.api.DoubleWindowResult;
import dev.stretch.api.LongKeyWindowFunction;
import dev.stretch.api.LongWindowResult;
import dev.stretch.api.TimeWindow;
import dev.stretch.api.WindowResultFunction;

/**
 * Result functions of long-keyed aggregations that the built-in programs recognise and run on primitives
 * (no boxed key or value per result). Each is also an ordinary {@link WindowResultFunction}, correct on
 * boxed arguments, so any program can run it.
 */
public final class PrimitiveResults {
    private PrimitiveResults() {
    }

    /** Emits a {@link LongWindowResult}. */
    public static final WindowResultFunction<Object, Object, Object> LONG = new WindowResultFunction<>() {
        @Override
        public Object apply(Object key, TimeWindow w, Object r) {
            return new LongWindowResult((Long) key, w.start(), w.end(), ((Number) r).longValue());
        }

        @Override
        public String toString() {
            return "LongWindowResult";
        }
    };

    /** Emits a {@link DoubleWindowResult}. */
    public static final WindowResultFunction<Object, Object, Object> DOUBLE = new WindowResultFunction<>() {
        @Override
        public Object apply(Object key, TimeWindow w, Object r) {
            return new DoubleWindowResult((Long) key, w.start(), w.end(), ((Number) r).doubleValue());
        }

        @Override
        public String toString() {
            return "DoubleWindowResult";
        }
    };

    /** A user's {@link LongKeyWindowFunction}: called with the primitive key. */
    public static final class LongKey implements WindowResultFunction<Object, Object, Object> {
        public final LongKeyWindowFunction<Object, Object> f;

        @SuppressWarnings("unchecked")
        public LongKey(LongKeyWindowFunction<?, ?> f) {
            this.f = (LongKeyWindowFunction<Object, Object>) f;
        }

        @Override
        public Object apply(Object key, TimeWindow w, Object r) throws Exception {
            return f.apply((Long) key, w, r);
        }
    }
}
