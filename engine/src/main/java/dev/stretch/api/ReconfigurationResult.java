package dev.stretch.api;

/**
 * A completed reconfiguration.
 *
 * @param operator the operator
 * @param from instances before
 * @param to instances after
 * @param durationNanos from the request to the new configuration being active
 * @param switchTimestamp event time of the input position where the change took effect (for a
 *     keyed operator: every tuple up to that position used the old key-group ownership, every later one
 *     the new); {@code Long.MIN_VALUE} where no event-time agreement is needed (sources)
 * @param keyGroupsMoved key groups that changed owner
 */
public record ReconfigurationResult(String operator, int from, int to, long durationNanos, long switchTimestamp,
        int keyGroupsMoved) {
    public double durationMillis() {
        return durationNanos / 1e6;
    }
}
