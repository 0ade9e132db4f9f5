package dev.stretch.operator.dependent;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.PodCount;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * ConfigMap {@code <job>-topology}: how many pods the job has (key {@code pods}, a decimal integer), for the pods
 * themselves (CONTRACTS C1). It is mounted as a whole volume, not with {@code subPath}, so the kubelet updates the
 * file in the running pods (a symlink swap within about a minute on a real kubelet) and {@code stretch pod}, which
 * re-reads it, divides the work anew without a restart. The count is therefore kept out of the pod template: a
 * template change would roll every pod on every horizontal scaling step.
 *
 * <p>While the job is suspended or scaled to zero there are no pods to tell; the ConfigMap keeps the count the job
 * resumes with, so that the first pods of a resumed job read the right count at once.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class TopologyConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, StreamJob> {

    @Override
    protected ConfigMap desired(StreamJob job, Context<StreamJob> context) {
        return new ConfigMapBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.topologyConfigMap(job)))
                .withData(Map.of(JobObjects.TOPOLOGY_PODS_KEY, Integer.toString(pods(job))))
                .build();
    }

    /** The pod count the pods are told: the desired count, or while there are none, the one to resume with. */
    public static int pods(StreamJob job) {
        int desired = PodCount.desired(job.getSpec());
        return desired > 0 ? desired : PodCount.clamp(job.getSpec());
    }

    @Override
    protected void addReferenceHandlingMetadata(ConfigMap desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
