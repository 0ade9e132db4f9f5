package dev.stretch.operator.dependent;

import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.monitoring.PodMonitor;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import java.time.Duration;

/**
 * Activates {@link PodMonitorDependent} once {@code podmonitors.monitoring.coreos.com} exists. JOSDK caches the
 * answer for the whole process: "present" is final; "absent" is asked again at most once a minute, on a reconcile,
 * so a Prometheus Operator installed after the operator is picked up within about a minute of the next reconcile
 * (the status refresh reconciles every job periodically).
 */
public class PodMonitorCrdPresent extends CRDPresentActivationCondition<PodMonitor, StreamJob> {
    public PodMonitorCrdPresent() {
        super(Integer.MAX_VALUE, Duration.ofMinutes(1));
    }
}
