package dev.stretch.api;

/** Combines one element of each side of a window join that share a key and a window. */
@FunctionalInterface
public interface JoinFunction<A, B, OUT> {
    OUT join(A left, B right) throws Exception;
}
