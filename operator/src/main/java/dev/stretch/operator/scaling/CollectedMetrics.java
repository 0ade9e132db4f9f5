package dev.stretch.operator.scaling;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link MetricsCollector} brought back for a job: per pod and keyed operator, or why nothing usable came
 * (then the autoscaler holds: no decision, never a scale-down).
 *
 * @param operators per pod and keyed operator; empty when unavailable
 * @param backpressure per pod, per operator of any kind (sources too, not the chained ones): the fraction of its
 *     instances' time spent waiting for room downstream over the rate window, in [0, 1]; an operator whose
 *     fraction could not be measured yet (first scrape) is absent. {@link InputBackpressure} turns these into the
 *     back-pressure each keyed operator puts on its writers.
 * @param unavailable why the metrics cannot be used (a pod unreachable, no series, Prometheus down), or null
 * @param sampledAt when the newest sample behind these metrics was taken (Prometheus: the newest scrape), or null
 *     for "now" (direct scrapes)
 */
public record CollectedMetrics(List<PodMetrics> operators, Map<String, Map<String, Pressure>> backpressure,
        String unavailable, java.time.Instant sampledAt) {

    /**
     * One operator's waiting for room downstream.
     *
     * @param kind {@code source}, {@code window}, {@code sink}
     * @param fraction fraction of its instances' time spent waiting, in [0, 1]
     */
    public record Pressure(String kind, double fraction) {
    }

    public CollectedMetrics {
        operators = List.copyOf(operators);
        Map<String, Map<String, Pressure>> copy = new LinkedHashMap<>();
        backpressure.forEach((pod, ops) -> copy.put(pod, Map.copyOf(ops)));
        backpressure = java.util.Collections.unmodifiableMap(copy);
    }

    public CollectedMetrics(List<PodMetrics> operators, Map<String, Map<String, Pressure>> backpressure,
            String unavailable) {
        this(operators, backpressure, unavailable, null);
    }

    public CollectedMetrics(List<PodMetrics> operators, String unavailable) {
        this(operators, Map.of(), unavailable, null);
    }

    public static CollectedMetrics unavailable(String why) {
        return new CollectedMetrics(List.of(), why);
    }

    public boolean available() {
        return unavailable == null;
    }
}
