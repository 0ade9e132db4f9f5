package dev.stretch.operator.customresource;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.stretch.model.Defaults;
import dev.stretch.model.ResourcesSpec;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the Fabric8 CRD generator cannot say from annotations, applied to the generated StreamJob CRD at build time
 * (wired by {@code quarkus.operator-sdk.crd.post-processor}):
 * <ul>
 * <li>printer columns in reading order (the generator sorts them by JSON path);</li>
 * <li>descriptions of the root, {@code spec} and {@code status} for {@code kubectl explain};</li>
 * <li>{@code spec} required, and a rule refusing job names that cannot name the job's objects: the headless
 * Service ({@code <job>-headless}) needs a DNS-1035 label, and StatefulSet pods' controller-revision label limits
 * the name to 52 characters;</li>
 * <li>{@code spec.replicas} defaults to 1, so the scale subresource (and an HPA reading it) sees a pod count;</li>
 * <li>resource quantities as {@code x-kubernetes-int-or-string}, so {@code cpu: 2} applies as it runs locally;</li>
 * <li>{@code status.conditions} a map list keyed by {@code type} (one entry per type, merged by type).</li>
 * </ul>
 */
public class StreamJobCrdPostProcessor implements CRDPostProcessor {
    static final List<String> COLUMN_ORDER = List.of("Phase", "Pods", "Threads", "Input-Rate", "Lag-Ms", "CPU",
            "Scaling", "Age");
    /** The longest job name whose owned objects all have valid names (see the class comment). */
    public static final int MAX_NAME = 52;
    static final String NAME_RULE = "self.metadata.name.size() <= " + MAX_NAME
            + " && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')";
    static final String NAME_MESSAGE = "metadata.name must start with a letter, contain only lower-case letters, digits"
            + " and '-', and have at most " + MAX_NAME + " characters: the job's Service, StatefulSet and pods are named"
            + " after it";

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1 && StreamJob.CRD_NAME.equals(crd.getMetadata().getName())) {
            v1.getSpec().getVersions().forEach(v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                    v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(StreamJobCrdPostProcessor::rank));
                }
                if (v.getSchema() != null && v.getSchema().getOpenAPIV3Schema() != null) {
                    schema(v.getSchema().getOpenAPIV3Schema());
                }
            });
        }
        return crd;
    }

    private static void schema(JSONSchemaProps root) {
        root.setDescription("A stream job: a pipeline of sources, transformations, windows, joins and sinks (or a Java"
                + " application) that the STRETCH operator runs as a StatefulSet of `stretch pod` processes, scaling"
                + " threads inside pods first, then pods. The same document runs locally with `stretch run`.");
        root.setRequired(List.of("spec"));
        List<ValidationRule> rules = root.getXKubernetesValidations() == null ? new ArrayList<>()
                : new ArrayList<>(root.getXKubernetesValidations());
        rules.add(new ValidationRule(null, NAME_MESSAGE, null, null, null, NAME_RULE));
        root.setXKubernetesValidations(rules);

        JSONSchemaProps spec = root.getProperties().get("spec");
        spec.setDescription("What the job computes (`pipeline` or `application`), how it runs (engine, parallelism,"
                + " autoscaling) and, in a cluster, its pods (replicas, image, resources, pod template).");
        JSONSchemaProps replicas = spec.getProperties().get("replicas");
        replicas.setDefault(IntNode.valueOf(Defaults.REPLICAS));
        JSONSchemaProps resources = spec.getProperties().get("resources");
        for (String key : List.of("requests", "limits")) {
            JSONSchemaProps quantities = resources.getProperties().get(key);
            quantities.getAdditionalProperties().setSchema(new JSONSchemaPropsBuilder()
                    .withXKubernetesIntOrString(true)
                    .withAnyOf(new JSONSchemaPropsBuilder().withType("integer").build(),
                            new JSONSchemaPropsBuilder().withType("string").build())
                    .withPattern(ResourcesSpec.QUANTITY_PATTERN)
                    .build());
        }

        JSONSchemaProps status = root.getProperties().get("status");
        status.setDescription("What the operator observed: phase, pod counts, threads and load per operator from the"
                + " pods, the last scaling decision and the Ready, Scaling, Degraded and ReconciliationPaused conditions.");
        JSONSchemaProps conditions = status.getProperties().get("conditions");
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        JSONSchemaProps condition = conditions.getItems().getSchema();
        condition.setRequired(List.of("type", "status"));
        Map<String, JSONSchemaProps> props = condition.getProperties();
        describe(props, "type", "Ready, Scaling, Degraded or ReconciliationPaused.");
        describe(props, "status", "True, False or Unknown.");
        describe(props, "reason", "Why the condition has its status, as one CamelCase word.");
        describe(props, "message", "The reason in words.");
        describe(props, "lastTransitionTime", "When the status last flipped (RFC 3339).");
        describe(props, "observedGeneration", "The metadata.generation the condition was set for.");
        props.get("status").setEnum(List.of(text("True"), text("False"), text("Unknown")));
    }

    private static com.fasterxml.jackson.databind.JsonNode text(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }

    private static void describe(Map<String, JSONSchemaProps> props, String name, String description) {
        JSONSchemaProps p = props.get(name);
        if (p != null && p.getDescription() == null) {
            p.setDescription(description);
        }
    }

    private static int rank(CustomResourceColumnDefinition column) {
        int i = COLUMN_ORDER.indexOf(column.getName());
        return i < 0 ? COLUMN_ORDER.size() : i;
    }
}
