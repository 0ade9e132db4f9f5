package dev.stretch.operator.dependent;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.monitoring.PodMonitor;
import dev.stretch.operator.monitoring.PodMonitorSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * PodMonitor {@code <job>}: tells a Prometheus Operator to scrape {@code /metrics} on each pod's {@code http} port.
 * Only reconciled while the PodMonitor CRD exists ({@link PodMonitorCrdPresent}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class PodMonitorDependent extends CRUDKubernetesDependentResource<PodMonitor, StreamJob> {
    /** Often enough for a 30 s autoscaling metric window to hold several samples. */
    static final String SCRAPE_INTERVAL = "10s";

    @Override
    protected PodMonitor desired(StreamJob job, Context<StreamJob> context) {
        PodMonitorSpec spec = new PodMonitorSpec();
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(JobObjects.selector(job)).build());
        // honorLabels: the pod's series carry a "job" label (the StreamJob's name); without it Prometheus would
        // rename that to "exported_job" and put its own scrape-job name ("<namespace>/<monitor>") in "job".
        spec.setPodMetricsEndpoints(List.of(new PodMonitorSpec.Endpoint(JobObjects.HTTP_PORT_NAME, "/metrics",
                SCRAPE_INTERVAL, true)));
        PodMonitor monitor = new PodMonitor();
        monitor.setMetadata(JobObjects.metadata(job, JobObjects.podMonitor(job)));
        monitor.setSpec(spec);
        return monitor;
    }

    @Override
    protected void addReferenceHandlingMetadata(PodMonitor desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
