package dev.stretch.operator.scaling;

import java.util.List;

/**
 * What a {@link MetricsCollector} brought back for a job: per pod and keyed operator, or why nothing usable came
 * (then the autoscaler holds: no decision, never a scale-down).
 *
 * @param operators per pod and keyed operator; empty when unavailable
 * @param unavailable why the metrics cannot be used (a pod unreachable, no series, Prometheus down), or null
 */
public record CollectedMetrics(List<PodMetrics> operators, String unavailable) {
    public CollectedMetrics {
        operators = List.copyOf(operators);
    }

    public static CollectedMetrics unavailable(String why) {
        return new CollectedMetrics(List.of(), why);
    }

    public boolean available() {
        return unavailable == null;
    }
}
