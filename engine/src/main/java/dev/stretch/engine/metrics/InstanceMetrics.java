package dev.stretch.engine.metrics;

/**
 * Counters of one operator instance (cumulative since it started).
 *
 * @param index instance index in {@code [0, instances)}
 * @param tuplesIn tuples this instance processed (for VSN: tuples of its own key groups)
 * @param tuplesRead tuples this instance read from its input gate (VSN instances read every tuple)
 * @param tuplesOut tuples it emitted
 * @param busyNanos time spent processing rather than waiting for input or for room downstream
 * @param backpressuredNanos time spent waiting for room downstream (backpressure)
 * @param aliveNanos time since the instance started
 * @param watermark event time up to which this instance has processed its input
 */
public record InstanceMetrics(int index, long tuplesIn, long tuplesRead, long tuplesOut, long busyNanos,
        long backpressuredNanos, long aliveNanos, long watermark) {
}
