package dev.stretch.operator.dependent;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * PodDisruptionBudget {@code <job>}: voluntary disruptions (node drains) take at most one pod of a job at a time,
 * so at most one pod's partitions move at once.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, StreamJob> {

    @Override
    protected PodDisruptionBudget desired(StreamJob job, Context<StreamJob> context) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.podDisruptionBudget(job)))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(JobObjects.selector(job)).endSelector()
                .endSpec()
                .build();
    }

    @Override
    protected void addReferenceHandlingMetadata(PodDisruptionBudget desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
