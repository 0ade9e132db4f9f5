package dev.stretch.api;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a job's counters, for the runtime to export (Prometheus) and for autoscaling policies.
 * Rates and busy ratios come from differences between two snapshots: see {@code dev.stretch.engine.metrics.MetricsSampler}.
 *
 * @param job job name
 * @param nanoTime {@link System#nanoTime()} when taken
 * @param operators one entry per operator, in topological order
 */
public record JobMetrics(String job, long nanoTime, List<OperatorMetrics> operators) {
    public Optional<OperatorMetrics> operator(String name) {
        return operators.stream().filter(o -> o.name().equals(name)).findFirst();
    }
}
