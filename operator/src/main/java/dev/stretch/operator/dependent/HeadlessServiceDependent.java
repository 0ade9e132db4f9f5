package dev.stretch.operator.dependent;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Headless Service {@code <job>-headless}: governs the StatefulSet, giving each pod a stable DNS name
 * ({@code <job>-<ordinal>.<job>-headless}). Not-ready pods are published too, so pods find each other while
 * they start.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class HeadlessServiceDependent extends CRUDKubernetesDependentResource<Service, StreamJob> {

    @Override
    protected Service desired(StreamJob job, Context<StreamJob> context) {
        return new ServiceBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.headlessService(job)))
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(JobObjects.selector(job))
                .addNewPort()
                .withName(JobObjects.HTTP_PORT_NAME)
                .withProtocol("TCP")
                .withPort(JobObjects.HTTP_PORT)
                .withTargetPort(new IntOrString(JobObjects.HTTP_PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }

    @Override
    protected void addReferenceHandlingMetadata(Service desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
