package dev.stretch.operator.scaling;

import dev.stretch.operator.status.PodObservation;
import java.util.List;

/**
 * Brings a job's load metrics to the autoscaler: the {@code collect} of collect, evaluate, decide, realise. Two
 * sources: {@link DirectMetricsCollector} scrapes each pod's {@code /metrics}; {@link PrometheusMetricsCollector}
 * asks a Prometheus server. Implementations keep what they need between calls (previous counters); one caller at
 * a time.
 */
public interface MetricsCollector {
    /**
     * Collects the metrics of the job's keyed operators.
     *
     * @param namespace the job's namespace
     * @param job the job's name
     * @param pods the job's ready pods (with IP and port)
     */
    CollectedMetrics collect(String namespace, String job, List<PodObservation> pods);

    /**
     * Whether a sample newer than the one {@link #collect} last used is there to be collected; true when it cannot
     * tell (then collecting says why). The loop polls this more often than it collects when
     * {@link #pollsForNewData()}, so that it decides as soon as new data lands instead of up to an interval later.
     */
    default boolean newData(String namespace, String job) {
        return true;
    }

    /** Whether {@link #newData} is worth polling (a source with its own sampling clock, such as Prometheus). */
    default boolean pollsForNewData() {
        return false;
    }

    /** {@code direct} or {@code prometheus}. */
    String source();
}
