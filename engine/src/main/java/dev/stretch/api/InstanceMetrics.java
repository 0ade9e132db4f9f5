package dev.stretch.api;

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
 * @param idleTransitions for a source split: how often it was marked idle
 *     ({@link dev.stretch.api.WatermarkStrategy#withIdleness}); 0 otherwise
 */
public record InstanceMetrics(int index, long tuplesIn, long tuplesRead, long tuplesOut, long busyNanos,
        long backpressuredNanos, long aliveNanos, long watermark, long idleTransitions) {

    /** Counters of an instance that is not a source split (no idleness). */
    public InstanceMetrics(int index, long tuplesIn, long tuplesRead, long tuplesOut, long busyNanos,
            long backpressuredNanos, long aliveNanos, long watermark) {
        this(index, tuplesIn, tuplesRead, tuplesOut, busyNanos, backpressuredNanos, aliveNanos, watermark, 0);
    }
}
