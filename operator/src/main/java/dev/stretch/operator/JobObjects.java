package dev.stretch.operator;

import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names, labels and owner references of the objects a job owns, and the paths of the pod contract. One place,
 * so every dependent, the status and the tests agree.
 *
 * <pre>
 *   ConfigMap   &lt;job&gt;-job        key job.yaml, mounted at /etc/stretch/job/
 *   ConfigMap   &lt;job&gt;-topology   key pods,     mounted at /etc/stretch/topology/ (whole volume)
 *   Secret      &lt;job&gt;-control    key token,    mounted at /etc/stretch/token/
 *   Service     &lt;job&gt;-headless   headless, governs the StatefulSet
 *   StatefulSet &lt;job&gt;            pods &lt;job&gt;-0 .. &lt;job&gt;-(n-1)
 *   PDB         &lt;job&gt;
 *   PodMonitor  &lt;job&gt;            only with the Prometheus Operator
 * </pre>
 */
public final class JobObjects {
    /** Selects a job's pods. Never add keys: a StatefulSet's selector is immutable. */
    public static final String JOB_LABEL = "stretch.dev/job";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "stretch-operator";
    /** Every owned object (and pod) carries it; the operator's informers select on it. */
    public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    /** Pod-template annotation: checksum of the job document, so a spec change rolls the pods. */
    public static final String JOB_CHECKSUM_ANNOTATION = "stretch.dev/job-checksum";
    /** {@code "true"} on a StreamJob stops the operator from changing anything of it. */
    public static final String PAUSED_ANNOTATION = "stretch.dev/paused";

    public static final String CONTAINER = "stretch";
    public static final String HTTP_PORT_NAME = "http";
    public static final int HTTP_PORT = 8080;
    public static final String JOB_FILE_KEY = "job.yaml";
    public static final String JOB_DIR = "/etc/stretch/job";
    /** Key of the topology ConfigMap: the job's pod count, a decimal integer (CONTRACTS C1). */
    public static final String TOPOLOGY_PODS_KEY = "pods";
    public static final String TOPOLOGY_DIR = "/etc/stretch/topology";
    public static final String TOKEN_KEY = "token";
    public static final String TOKEN_DIR = "/etc/stretch/token";

    private JobObjects() {
    }

    public static String configMap(StreamJob job) {
        return name(job) + "-job";
    }

    public static String topologyConfigMap(StreamJob job) {
        return name(job) + "-topology";
    }

    public static String secret(StreamJob job) {
        return name(job) + "-control";
    }

    public static String headlessService(StreamJob job) {
        return name(job) + "-headless";
    }

    public static String statefulSet(StreamJob job) {
        return name(job);
    }

    public static String podDisruptionBudget(StreamJob job) {
        return name(job);
    }

    public static String podMonitor(StreamJob job) {
        return name(job);
    }

    /** Labels that select the job's pods (StatefulSet, Service, PDB, PodMonitor selectors). */
    public static Map<String, String> selector(StreamJob job) {
        return Map.of(JOB_LABEL, name(job));
    }

    /** {@link #selector} as the string a scale subresource carries. */
    public static String selectorString(StreamJob job) {
        return JOB_LABEL + "=" + name(job);
    }

    /** Labels of every owned object and pod. Mutable: JOSDK adds to the maps of desired objects. */
    public static Map<String, String> labels(StreamJob job) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put(NAME_LABEL, "stretch");
        l.put(INSTANCE_LABEL, name(job));
        l.put(COMPONENT_LABEL, "stream-job");
        l.put(MANAGED_BY_LABEL, MANAGED_BY);
        l.put(JOB_LABEL, name(job));
        return l;
    }

    /**
     * Metadata of an owned object: name, namespace, labels and a (mutable, possibly empty) annotation map —
     * JOSDK's matcher writes into it, so it must not be null or immutable.
     */
    public static ObjectMeta metadata(StreamJob job, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels(job)).withAnnotations(new HashMap<>()).build();
    }

    /**
     * Makes {@code job} the controller owner of {@code owned}: Kubernetes' garbage collector deletes the owned
     * object with the job, and {@code kubectl describe} shows "Controlled By". Idempotent.
     */
    public static void addControllerReference(HasMetadata owned, StreamJob job) {
        List<OwnerReference> refs = owned.getMetadata().getOwnerReferences() == null ? new ArrayList<>()
                : new ArrayList<>(owned.getMetadata().getOwnerReferences());
        String uid = job.getMetadata().getUid();
        if (refs.stream().noneMatch(r -> uid != null && uid.equals(r.getUid()))) {
            refs.add(new OwnerReferenceBuilder().withApiVersion(job.getApiVersion()).withKind(job.getKind())
                    .withName(name(job)).withUid(uid).withController(true).withBlockOwnerDeletion(true).build());
        }
        owned.getMetadata().setOwnerReferences(refs);
    }

    /** Whether the job carries {@code stretch.dev/paused: "true"}. */
    public static boolean paused(HasMetadata job) {
        Map<String, String> a = job.getMetadata().getAnnotations();
        return a != null && "true".equalsIgnoreCase(a.get(PAUSED_ANNOTATION));
    }

    /** The ordinal of a StatefulSet pod: the suffix of its name after the last '-', or -1. */
    public static int ordinal(String podName) {
        int dash = podName.lastIndexOf('-');
        try {
            return dash < 0 ? -1 : Integer.parseInt(podName.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String name(StreamJob job) {
        return job.getMetadata().getName();
    }
}
