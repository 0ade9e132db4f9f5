package dev.stretch.api;

/**
 * Whether an element of the left side of a non-equi (theta) join matches one of the right side, e.g.
 * {@code (a, b) -> a.price() < b.price() && a.region() != b.region()}. Must depend only on the two
 * elements; an exception makes the pair a bad record.
 */
@FunctionalInterface
public interface JoinPredicate<A, B> {
    boolean test(A left, B right) throws Exception;
}
