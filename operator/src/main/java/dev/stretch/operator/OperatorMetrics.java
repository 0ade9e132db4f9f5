package dev.stretch.operator;

import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.customresource.StreamJobStatus;
import dev.stretch.operator.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The operator's own metrics about the jobs it runs, served with JOSDK's and the JVM's on {@code /q/metrics}; the
 * chart's dashboards and alerts use them (names in the Prometheus format):
 * <ul>
 * <li>{@code stretch_streamjob_ready}, {@code stretch_streamjob_degraded}: 1 when the job's Ready / Degraded condition
 * is True, else 0;</li>
 * <li>{@code stretch_streamjob_pods_desired}, {@code stretch_streamjob_pods_ready}: the pod counts of the status;</li>
 * <li>{@code stretch_streamjob_scaling_decisions_total{reason}}: pod-count decisions (ReplicasChanged,
 * ClampedToBounds, Suspended, Resumed...);</li>
 * <li>{@code stretch_streamjob_status_updates_total{result}}: reconciles that wrote the status ({@code written}) or
 * found nothing new to write ({@code unchanged}).</li>
 * </ul>
 * Per-job gauges (labels {@code namespace}, {@code streamjob}) read the job from the operator's informer cache when
 * scraped; a deleted job's gauges read NaN and are removed at the next reconcile.
 */
@Singleton
public class OperatorMetrics {
    static final String NAMESPACE = "namespace";
    static final String STREAMJOB = "streamjob";

    private final MeterRegistry registry;
    private final Map<ResourceID, List<Meter.Id>> jobGauges = new ConcurrentHashMap<>();
    private volatile IndexedResourceCache<StreamJob> cache;

    @Inject
    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Called on every reconcile: registers the job's gauges, drops those of jobs that are gone. */
    public void observe(StreamJob job, IndexedResourceCache<StreamJob> primaries) {
        cache = primaries;
        ResourceID id = ResourceID.fromResource(job);
        jobGauges.computeIfAbsent(id, this::register);
        for (ResourceID known : new ArrayList<>(jobGauges.keySet())) {
            if (primaries.get(known).isEmpty()) {
                jobGauges.remove(known).forEach(registry::remove);
            }
        }
    }

    public void statusUpdate(boolean written) {
        Counter.builder("stretch.streamjob.status.updates")
                .description("Reconciles that wrote a job's status (written) or found nothing new to write (unchanged)")
                .tag("result", written ? "written" : "unchanged").register(registry).increment();
    }

    public void scalingDecision(StreamJob job, String reason) {
        Counter.builder("stretch.streamjob.scaling.decisions")
                .description("Changes of a job's pod count, by reason").tag("reason", reason)
                .tag(NAMESPACE, job.getMetadata().getNamespace()).tag(STREAMJOB, job.getMetadata().getName())
                .register(registry).increment();
    }

    private List<Meter.Id> register(ResourceID id) {
        List<Meter.Id> ids = new ArrayList<>();
        ids.add(gauge(id, "stretch.streamjob.ready", "1 when the job's Ready condition is True, else 0",
                s -> Conditions.isTrue(s.getConditions(), Conditions.READY) ? 1 : 0));
        ids.add(gauge(id, "stretch.streamjob.degraded", "1 when the job's Degraded condition is True, else 0",
                s -> Conditions.isTrue(s.getConditions(), Conditions.DEGRADED) ? 1 : 0));
        ids.add(gauge(id, "stretch.streamjob.pods.desired", "Pods the operator wants for the job",
                s -> s.getDesiredReplicas() == null ? Double.NaN : s.getDesiredReplicas()));
        ids.add(gauge(id, "stretch.streamjob.pods.ready", "Ready pods of the job",
                s -> s.getReadyReplicas() == null ? Double.NaN : s.getReadyReplicas()));
        return ids;
    }

    private Meter.Id gauge(ResourceID id, String name, String help, ToDoubleFunction<StreamJobStatus> value) {
        return Gauge.builder(name, this, m -> m.status(id).map(value::applyAsDouble).orElse(Double.NaN))
                .description(help)
                .tag(NAMESPACE, id.getNamespace().orElse(""))
                .tag(STREAMJOB, id.getName())
                .strongReference(true)
                .register(registry).getId();
    }

    private Optional<StreamJobStatus> status(ResourceID id) {
        IndexedResourceCache<StreamJob> c = cache;
        return c == null ? Optional.empty() : c.get(id).map(StreamJob::getStatus);
    }
}
