package dev.stretch.engine.plan;

import dev.stretch.api.DoubleField;
import dev.stretch.api.JoinFunction;
import dev.stretch.api.JoinPredicate;

/**
 * A non-equi window join with ScaleJoin semantics: every left element {@code a} and right element
 * {@code b} whose timestamps are at most {@code withinMillis} apart and that match are joined once, when
 * the later of the two arrives, and {@code join(a, b)} is emitted with that element's timestamp.
 *
 * <p>They match by a band ({@code |leftBand(a) - rightBand(b)| <= bandWidth}, compared on primitive
 * columns) or by a general predicate; exactly one of the two forms is set.
 */
public record ThetaJoin(long withinMillis, DoubleField<Object> leftBand, DoubleField<Object> rightBand, double bandWidth,
        JoinPredicate<Object, Object> predicate, JoinFunction<Object, Object, Object> join) {

    public ThetaJoin {
        if (withinMillis < 0) {
            throw new IllegalArgumentException("a join's time bound must be >= 0, was " + withinMillis + " ms");
        }
        if ((predicate == null) == (leftBand == null)) {
            throw new IllegalArgumentException("a theta join needs either a band or a predicate");
        }
        if (leftBand != null && (rightBand == null || !(bandWidth >= 0))) {
            throw new IllegalArgumentException("a band join needs both fields and a width >= 0, was " + bandWidth);
        }
    }

    public boolean isBand() {
        return leftBand != null;
    }
}
