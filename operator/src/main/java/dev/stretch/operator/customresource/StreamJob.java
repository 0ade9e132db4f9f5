package dev.stretch.operator.customresource;

import dev.stretch.model.StreamJobSpec;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code StreamJob} custom resource ({@code streamjobs.stretch.dev}, short name {@code sj}): a stream job
 * the operator runs as a StatefulSet of {@code stretch pod} processes. The spec is the job model's
 * {@link StreamJobSpec}, the same class {@code stretch run} reads, so one YAML runs locally and in a cluster.
 * The CRD ({@code crds/streamjobs.stretch.dev-v1.yml}) is generated from these classes.
 */
@Group(StreamJob.GROUP)
@Version(StreamJob.VERSION)
@ShortNames("sj")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class StreamJob extends CustomResource<StreamJobSpec, StreamJobStatus> implements Namespaced {
    public static final String GROUP = "stretch.dev";
    public static final String VERSION = "v1alpha1";
    public static final String CRD_NAME = "streamjobs." + GROUP;

    @Override
    protected StreamJobSpec initSpec() {
        return new StreamJobSpec();
    }
}
