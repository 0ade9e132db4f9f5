package dev.stretch.api;

import java.util.List;

/**
 * Counters of one operator. Totals include instances that have since been removed, so they only grow.
 *
 * @param name operator name
 * @param kind {@code source}, {@code window}, {@code sink}
 * @param instances current instance count
 * @param tuplesIn elements that entered the operator
 * @param tuplesOut elements it emitted (after its chained stateless operators)
 * @param busyNanos total busy time of all instances, present and past
 * @param lateTuples elements dropped as late (behind the watermark by more than the allowed lateness)
 * @param badRecords bad records (user-function errors, null keys, timestamps going back, malformed
 *     input), whatever the policy did with them
 * @param deadLetters bad records sent to the dead-letter output
 * @param backlogTuples tuples waiting in the operator's input gate for its slowest instance
 * @param watermark lowest event time up to which every instance has processed its input
 * @param maxInputTimestamp highest event time announced by the operator's inputs
 * @param reconfigurations completed reconfigurations
 * @param reconfigurationNanosTotal their summed duration
 * @param perInstance current instances
 */
public record OperatorMetrics(String name, String kind, int instances, long tuplesIn, long tuplesOut, long busyNanos,
        long lateTuples, long badRecords, long deadLetters, long backlogTuples, long watermark, long maxInputTimestamp,
        long reconfigurations, long reconfigurationNanosTotal, List<InstanceMetrics> perInstance) {

    /** Event-time lag: how far the operator's processed watermark trails its inputs, in ms (0 if unknown). */
    public long eventTimeLagMillis() {
        if (watermark == Long.MIN_VALUE || maxInputTimestamp == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, maxInputTimestamp - watermark);
    }
}
