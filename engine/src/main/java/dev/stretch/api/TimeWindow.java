package dev.stretch.api;

/**
 * A window of event time, {@code [start, end)} in milliseconds. Results of a window carry the timestamp
 * {@link #maxTimestamp()}, as in Flink, so a downstream window places them in the window they
 * summarise.
 */
public record TimeWindow(long start, long end) {
    public long maxTimestamp() {
        return end - 1;
    }
}
