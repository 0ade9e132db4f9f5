package dev.stretch.engine.plan;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.CoWindowProcessFunction;
import dev.stretch.api.JoinFunction;
import dev.stretch.api.PrimitiveAggregation;
import dev.stretch.api.WindowProcessFunction;
import dev.stretch.api.WindowResultFunction;

/**
 * What a {@link WindowNode} computes, in one of three forms. All run on the same windowed operator;
 * they differ only in how pane state is stored.
 *
 * @param primitive a built-in aggregation kept in primitive columns, with {@code result}
 * @param aggregate a generic aggregation (one accumulator per key and pane), with {@code result}
 * @param result turns (key, window, aggregate result) into the output; {@code null} emits a
 *     {@code WindowResult}
 * @param process the general single-input form
 * @param coProcess the general two-input form (joins)
 * @param thetaJoin a non-equi window join (ScaleJoin): no keys, no panes
 * @param join an equi window join's pair function; {@code coProcess} then holds the same join in the general
 *     form (run when {@code -Dstretch.join.columns=false})
 */
public record WindowLogic(
        PrimitiveAggregation<Object, Object> primitive,
        AggregateFunction<Object, Object, Object> aggregate,
        WindowResultFunction<Object, Object, Object> result,
        WindowProcessFunction<Object, Object, Object, Object> process,
        CoWindowProcessFunction<Object, Object, Object, Object, Object> coProcess,
        ThetaJoin thetaJoin,
        JoinFunction<Object, Object, Object> join) {

    @SuppressWarnings("unchecked")
    public static WindowLogic aggregate(AggregateFunction<?, ?, ?> agg, WindowResultFunction<?, ?, ?> result) {
        if (agg instanceof PrimitiveAggregation<?, ?> p) {
            return new WindowLogic((PrimitiveAggregation<Object, Object>) p, null,
                    (WindowResultFunction<Object, Object, Object>) result, null, null, null, null);
        }
        return new WindowLogic(null, (AggregateFunction<Object, Object, Object>) agg,
                (WindowResultFunction<Object, Object, Object>) result, null, null, null, null);
    }

    @SuppressWarnings("unchecked")
    public static WindowLogic process(WindowProcessFunction<?, ?, ?, ?> f) {
        return new WindowLogic(null, null, null, (WindowProcessFunction<Object, Object, Object, Object>) f, null, null, null);
    }

    @SuppressWarnings("unchecked")
    public static WindowLogic coProcess(CoWindowProcessFunction<?, ?, ?, ?, ?> f) {
        return new WindowLogic(null, null, null, null, (CoWindowProcessFunction<Object, Object, Object, Object, Object>) f, null,
                null);
    }

    /** An equi window join: {@code f} over pairs, and the same join as a general two-input function. */
    @SuppressWarnings("unchecked")
    public static WindowLogic equiJoin(JoinFunction<?, ?, ?> f, CoWindowProcessFunction<?, ?, ?, ?, ?> general) {
        return new WindowLogic(null, null, null, null, (CoWindowProcessFunction<Object, Object, Object, Object, Object>) general,
                null, (JoinFunction<Object, Object, Object>) f);
    }

    public static WindowLogic thetaJoin(ThetaJoin j) {
        return new WindowLogic(null, null, null, null, null, j, null);
    }

    public String kindName() {
        if (primitive != null) {
            return "aggregate-" + primitive;
        }
        if (aggregate != null) {
            return "aggregate";
        }
        if (thetaJoin != null) {
            return "theta-join";
        }
        return coProcess != null ? "join" : "window";
    }
}
