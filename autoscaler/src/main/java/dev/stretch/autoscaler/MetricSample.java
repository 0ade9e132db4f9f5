package dev.stretch.autoscaler;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One sampling instant of a whole job: what the caller feeds to {@link JobAutoscaler#observe(MetricSample)}.
 *
 * @param at when the sample was taken, on the same time line as the autoscaler's clock
 * @param operators the operators measured; an operator seen before but absent here is treated as having missing
 *     metrics
 * @param reconfiguring whether a change of instances is still being carried out (the runtime: a
 *     {@code reconfigure} call has not returned; the operator: pods are starting or a resize is pending). While
 *     true, every change is vetoed with reason {@code ReconfigurationInProgress}.
 */
public record MetricSample(Instant at, List<OperatorSample> operators, boolean reconfiguring) {

    public MetricSample {
        Objects.requireNonNull(at, "at");
        operators = List.copyOf(operators);
        Set<String> names = new HashSet<>();
        for (OperatorSample o : operators) {
            if (!names.add(o.operator())) {
                throw new IllegalArgumentException("operator " + o.operator() + " appears twice in one sample");
            }
        }
    }

    /** A sample taken while no reconfiguration was in flight. */
    public MetricSample(Instant at, List<OperatorSample> operators) {
        this(at, operators, false);
    }
}
