package dev.stretch.autoscaler;

import java.time.Duration;
import java.util.Locale;

/**
 * The metrics of one operator as evaluated over the metric window: the evidence a {@link ScalingDecision}
 * carries. Rates and the busy ratio are means over the window's samples; backlog and lag are the latest values.
 *
 * @param instances instance count throughout the window
 * @param samples number of samples averaged; 0 when no evaluation was possible (then every metric is NaN)
 * @param span time from the first to the last sample averaged
 * @param inputRate mean input rate, tuples/s
 * @param latestInputRate input rate of the latest sample, tuples/s
 * @param processedRate mean processed rate, tuples/s
 * @param busyRatio mean busy ratio, in [0, 1]
 * @param trueRatePerInstance tuples/s one instance would process if it were busy all the time:
 *     {@code processedRate / instances / busyRatio}; NaN when the busy ratio is too small to divide by (an idle
 *     operator)
 * @param backlog latest backlog, tuples
 * @param eventTimeLagMillis latest event-time lag, ms
 * @param backlogGrowing whether backlog or lag rose strictly over the last
 *     {@link AutoscalerOptions#BACKLOG_GROWTH_SAMPLES} samples
 * @param inputBackpressure mean over the window of {@link OperatorSample#inputBackpressure()}: the fraction of
 *     time the operator's writers were held back by it
 */
public record EvaluatedMetrics(int instances, int samples, Duration span, double inputRate, double latestInputRate,
        double processedRate, double busyRatio, double trueRatePerInstance, double backlog,
        double eventTimeLagMillis, boolean backlogGrowing, double inputBackpressure) {

    /**
     * Below this mean busy ratio an operator counts as idle: its per-instance rate cannot be estimated reliably,
     * and one instance is clearly enough.
     */
    public static final double IDLE_BUSY_RATIO = 0.01;

    /**
     * From this mean {@linkplain #inputBackpressure() input backpressure} on, the operator counts as overloaded
     * whatever its busy ratio reads: its writers are held back by it, so the rate offered to it is more than it
     * processes. (Its busy ratio can stay inside the band while it is saturated: busy time of threads that share
     * too few cores, or wait for their input between bursts of a held-back writer, reads well below 1.) The
     * bounded input queue then keeps the backlog flat, so backlog growth does not show it either.
     */
    public static final double BACKPRESSURED = 0.1;

    /** Evidence for a decision made without an evaluation (metrics missing, window incomplete, scaling off). */
    public static EvaluatedMetrics none(int instances) {
        return new EvaluatedMetrics(instances, 0, Duration.ZERO, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, false, Double.NaN);
    }

    /** Whether the operator's writers were held back by it for at least {@link #BACKPRESSURED} of the time. */
    public boolean isBackpressuring() {
        return inputBackpressure >= BACKPRESSURED;
    }

    /** Whether these metrics came from an evaluation ({@code samples > 0}). */
    public boolean isEvaluated() {
        return samples > 0;
    }

    /** Whether the operator was idle: mean busy ratio below {@link #IDLE_BUSY_RATIO}. */
    public boolean isIdle() {
        return busyRatio < IDLE_BUSY_RATIO;
    }

    @Override
    public String toString() {
        if (!isEvaluated()) {
            return "no evaluated metrics";
        }
        return String.format(Locale.ROOT,
                "busy %.2f, input %.1f/s (latest %.1f/s), processed %.1f/s, %.1f/s per busy instance, "
                        + "backlog %.0f%s, lag %.0f ms, input back-pressured %.0f%%; %d samples over %ss",
                busyRatio, inputRate, latestInputRate, processedRate, trueRatePerInstance, backlog,
                backlogGrowing ? " (growing)" : "", eventTimeLagMillis, inputBackpressure * 100, samples,
                span.toMillis() / 1000.0);
    }
}
