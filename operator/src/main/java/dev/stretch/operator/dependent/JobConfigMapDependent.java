package dev.stretch.operator.dependent;

import dev.stretch.operator.JobDocument;
import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/** ConfigMap {@code <job>-job}: the job document ({@code job.yaml}) each pod runs. */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class JobConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, StreamJob> {

    @Override
    protected ConfigMap desired(StreamJob job, Context<StreamJob> context) {
        return new ConfigMapBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.configMap(job)))
                .withData(Map.of(JobObjects.JOB_FILE_KEY, JobDocument.yaml(job)))
                .build();
    }

    @Override
    protected void addReferenceHandlingMetadata(ConfigMap desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
