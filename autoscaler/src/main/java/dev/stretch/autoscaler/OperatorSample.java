package dev.stretch.autoscaler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one operator looked like at one sampling instant: its instance (thread) count and bounds, and the metrics
 * measured over the interval that ended at the sample. Rates are job-wide for the operator (summed over its
 * instances, and over pods when the operator aggregates several).
 *
 * <p>A metric the caller could not obtain is {@link Double#NaN}. Such a sample is accepted; the autoscaler then
 * vetoes any change to the operator with reason {@code MetricsMissing} until a full metric window of complete
 * samples has been seen. Negative or infinite values are treated as missing too.
 *
 * @param operator operator name, unique within the job
 * @param instances current instance (thread) count; 0 is treated as missing metrics
 * @param minInstances lowest count the autoscaler may choose, at least 1
 * @param maxInstances highest count the autoscaler may choose, at least {@code minInstances}
 * @param inputRate tuples per second arriving at the operator's input
 * @param processedRate tuples per second the operator processed
 * @param busyRatio fraction of time, averaged over the instances, spent processing rather than waiting for
 *     input, in [0, 1] (values slightly above 1 from timing jitter are read as 1)
 * @param backlog tuples queued in the operator's input
 * @param eventTimeLagMillis how far the operator's watermark trails its inputs, in milliseconds
 * @param inputBackpressure fraction of the time, in [0, 1], that the writers into the operator's input (its
 *     sources or upstream operators) spent blocked waiting for room in it, less the time the operator itself was
 *     blocked on its own output (then the bottleneck is further downstream). A bounded input queue caps the
 *     backlog, so an operator that cannot keep up shows here rather than as a growing backlog. Optional: 0 when
 *     the caller cannot measure it; NaN, negative or infinite values are read as 0.
 */
public record OperatorSample(String operator, int instances, int minInstances, int maxInstances, double inputRate,
        double processedRate, double busyRatio, double backlog, double eventTimeLagMillis,
        double inputBackpressure) {

    /** Names of the metrics, as used in messages and by {@link #missingMetrics()}. */
    public static final List<String> METRIC_NAMES = List.of("inputRate", "processedRate", "busyRatio", "backlog",
            "eventTimeLagMillis");

    public OperatorSample {
        Objects.requireNonNull(operator, "operator");
        if (operator.isBlank()) {
            throw new IllegalArgumentException("operator name is blank");
        }
        if (instances < 0) {
            throw new IllegalArgumentException(operator + ": instances " + instances + " < 0");
        }
        if (minInstances < 1 || maxInstances < minInstances) {
            throw new IllegalArgumentException(
                    operator + ": bounds [" + minInstances + ", " + maxInstances + "] are not 1 <= min <= max");
        }
        inputBackpressure = Double.isFinite(inputBackpressure) ? Math.max(0, Math.min(1, inputBackpressure)) : 0;
    }

    /** A sample without a measure of input backpressure (read as none). */
    public OperatorSample(String operator, int instances, int minInstances, int maxInstances, double inputRate,
            double processedRate, double busyRatio, double backlog, double eventTimeLagMillis) {
        this(operator, instances, minInstances, maxInstances, inputRate, processedRate, busyRatio, backlog,
                eventTimeLagMillis, 0);
    }

    /** Names of the metrics that are NaN, infinite or negative (and of {@code instances} when it is 0). */
    public List<String> missingMetrics() {
        List<String> missing = new ArrayList<>(0);
        if (instances == 0) {
            missing.add("instances");
        }
        double[] v = {inputRate, processedRate, busyRatio, backlog, eventTimeLagMillis};
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i]) || v[i] < 0) {
                missing.add(METRIC_NAMES.get(i));
            }
        }
        return missing;
    }

    /** Whether every metric is present and usable. */
    public boolean isComplete() {
        return missingMetrics().isEmpty();
    }
}
