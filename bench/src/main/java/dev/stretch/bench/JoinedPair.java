package dev.stretch.bench;

/** A window-join output: the window's end, the key, and the values of the A and B events paired. */
public record JoinedPair(long end, long key, long a, long b) {
}
