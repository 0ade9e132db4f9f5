package dev.stretch.operator.dependent;

import dev.stretch.model.Defaults;
import dev.stretch.model.PodTemplateSpec;
import dev.stretch.model.ResourcesSpec;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.model.Toleration;
import dev.stretch.operator.JobDocument;
import dev.stretch.operator.JobObjects;
import dev.stretch.operator.PodCount;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import org.eclipse.microprofile.config.ConfigProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * StatefulSet {@code <job>}: the job's pods, each running {@code stretch pod}. A StatefulSet because ordinals are
 * stable ({@code <job>-0 .. <job>-(n-1)}): a pod's ordinal decides which partitions it owns. Pods start and stop in
 * parallel (a job's pods don't depend on each other's order); template changes roll one pod at a time.
 *
 * <p>Pods meet the {@code restricted} Pod Security Standard (non-root user 65532, read-only root filesystem with an
 * {@code emptyDir} at {@code /tmp}, no capabilities, RuntimeDefault seccomp) and have requests and limits by default.
 *
 * <p>The pod contract: the job document from ConfigMap {@code <job>-job} at {@code /etc/stretch/job/job.yaml}
 * ({@code STRETCH_JOB_FILE}), the control token from Secret {@code <job>-control} at
 * {@code /etc/stretch/token/token} ({@code STRETCH_TOKEN_FILE}), identity from the downward API
 * ({@code POD_NAME}, {@code POD_NAMESPACE}; the ordinal is the name's suffix), the job's pod count from ConfigMap
 * {@code <job>-topology} at {@code /etc/stretch/topology/pods} ({@code STRETCH_TOPOLOGY_FILE}), HTTP on port
 * {@code http} 8080 ({@code /healthz} liveness, {@code /readyz} readiness, {@code /metrics}, {@code /v1/status}).
 * The pod template carries the checksum of the job's definition, so a spec change rolls the pods. The pod count is
 * deliberately not in the template (CONTRACTS C1): a horizontal scaling step changes only {@code replicas} and the
 * topology ConfigMap, whose whole-volume mount the kubelet refreshes in the running pods, so no pod restarts.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class StatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, StreamJob> {
    public static final String JOB_FILE = JobObjects.JOB_DIR + "/" + JobObjects.JOB_FILE_KEY;
    public static final String TOKEN_FILE = JobObjects.TOKEN_DIR + "/" + JobObjects.TOKEN_KEY;
    public static final String TOPOLOGY_FILE = JobObjects.TOPOLOGY_DIR + "/" + JobObjects.TOPOLOGY_PODS_KEY;
    static final String JOB_VOLUME = "job";
    /** Mounted whole (never with subPath: the kubelet does not update subPath mounts of a running pod). */
    static final String TOPOLOGY_VOLUME = "topology";
    static final String TOKEN_VOLUME = "control-token";
    static final String TMP_VOLUME = "tmp";
    /** Secret {@code spec.kafka.secret}: Kafka client properties (SASL/TLS), read by the runtime from its files. */
    static final String KAFKA_VOLUME = "kafka-secret";
    /** Where the runtime reads the Kafka Secret's keys ({@code KafkaSecrets}' default). */
    public static final String KAFKA_SECRET_DIR = "/etc/stretch/kafka";
    /** The only writable path of a pod (the root filesystem is read-only): the JVM's and the runtime's temp files. */
    public static final String TMP_DIR = "/tmp";
    /**
     * Readable by the owner and the pod's group only: the token is a credential. The kubelet gives secret files to
     * root and the pod's fsGroup, so the non-root user reads it through its group.
     */
    static final int TOKEN_FILE_MODE = 0440;
    /** The non-root user (and group) of the STRETCH images ("nonroot" of distroless images). */
    public static final long RUN_AS_USER = 65532;

    @Override
    protected StatefulSet desired(StreamJob job, Context<StreamJob> context) {
        StreamJobSpec spec = job.getSpec();
        PodTemplateSpec overrides = spec.getPodTemplate() == null ? new PodTemplateSpec() : spec.getPodTemplate();
        int replicas = PodCount.desired(spec);
        if (context != null) {
            ConfigMap topology = context.getClient().configMaps().inNamespace(job.getMetadata().getNamespace())
                    .withName(JobObjects.topologyConfigMap(job)).get();
            replicas = replicas(replicas, topology == null ? null : topology.getData(), java.time.Instant.now(),
                    drain(spec));
        }
        return new StatefulSetBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.statefulSet(job)))
                .withNewSpec()
                .withReplicas(replicas)
                .withServiceName(JobObjects.headlessService(job))
                .withPodManagementPolicy("Parallel")
                .withRevisionHistoryLimit(3)
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewSelector().withMatchLabels(JobObjects.selector(job)).endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels(job, overrides))
                .withAnnotations(podAnnotations(job, overrides))
                .endMetadata()
                .withNewSpec()
                // the restricted Pod Security Standard: non-root, no privilege escalation, no capabilities,
                // RuntimeDefault seccomp, read-only root filesystem (container level)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withFsGroup(RUN_AS_USER)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withServiceAccountName(overrides.getServiceAccountName())
                // the pods never call the Kubernetes API; mount a token only for a service account the user chose
                .withAutomountServiceAccountToken(overrides.getServiceAccountName() != null)
                .withEnableServiceLinks(false)
                .withNodeSelector(overrides.getNodeSelector() == null ? null : new TreeMap<>(overrides.getNodeSelector()))
                .withTolerations(tolerations(overrides.getTolerations()))
                .withContainers(container(job))
                .addNewVolume()
                .withName(JOB_VOLUME)
                .withNewConfigMap().withName(JobObjects.configMap(job)).endConfigMap()
                .endVolume()
                .addNewVolume()
                .withName(TOPOLOGY_VOLUME)
                .withNewConfigMap().withName(JobObjects.topologyConfigMap(job)).endConfigMap()
                .endVolume()
                .addNewVolume()
                .withName(TOKEN_VOLUME)
                .withNewSecret().withSecretName(JobObjects.secret(job)).withDefaultMode(TOKEN_FILE_MODE).endSecret()
                .endVolume()
                .addNewVolume()
                .withName(TMP_VOLUME)
                .withNewEmptyDir().withSizeLimit(new Quantity("1Gi")).endEmptyDir()
                .endVolume()
                .addAllToVolumes(kafkaVolume(spec))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The replicas while a scale-in hands over: the pods a smaller count removes keep running until their splits'
     * records up to the agreed time T ({@code handover-at} of the topology ConfigMap) have passed through every
     * window and out of the sinks ({@code drain} after T); only then does the StatefulSet remove them. Removing them
     * at once would lose those records: under the old count nobody else owns them up to T. After T they own
     * nothing and read only to advance their watermark.
     *
     * @param desired the job's pod count
     * @param topology the data of the {@code <job>-topology} ConfigMap, or null
     */
    static int replicas(int desired, Map<String, String> topology, java.time.Instant now, Duration drain) {
        if (topology == null || desired == 0
                || !Integer.toString(desired).equals(topology.get(JobObjects.TOPOLOGY_PODS_KEY))) {
            return desired; // suspended, scaled to zero, or the ConfigMap does not say this count yet
        }
        try {
            int before = Integer.parseInt(topology.getOrDefault(TopologyConfigMapDependent.PODS_BEFORE_KEY, "0"));
            long at = Long.parseLong(topology.getOrDefault(TopologyConfigMapDependent.HANDOVER_KEY, "0"));
            if (before > desired && now.isBefore(java.time.Instant.ofEpochMilli(at).plus(drain))) {
                return before;
            }
        } catch (NumberFormatException unreadable) {
            // not written by this operator: nothing to hand over
        }
        return desired;
    }

    /**
     * How long after T a leaving pod may still emit results of records up to T: the longest window (or join
     * bound) of the job plus the longest allowed out-of-orderness of its sources (the watermark trails by that),
     * plus 10 s for the sinks to write.
     */
    static Duration drain(StreamJobSpec spec) {
        Duration window = Duration.ZERO;
        Duration disorder = Duration.ZERO;
        if (spec.getPipeline() != null) {
            for (dev.stretch.model.PipelineStage s : spec.getPipeline()) {
                if (s.getWindow() != null) {
                    window = max(window, s.getWindow().getSize());
                }
                if (s.getJoin() != null) {
                    window = max(window, s.getJoin().getSize());
                    window = max(window, s.getJoin().getWithin());
                }
                if (s.getSource() != null && s.getSource().getWatermark() != null) {
                    disorder = max(disorder, s.getSource().getWatermark().getMaxOutOfOrderness());
                }
            }
        }
        return window.plus(disorder).plusSeconds(10);
    }

    private static Duration max(Duration d, String text) {
        if (text == null || !dev.stretch.model.Durations.isValid(text)) {
            return d;
        }
        Duration v = dev.stretch.model.Durations.parse(text);
        return v.compareTo(d) > 0 ? v : d;
    }

    private static Container container(StreamJob job) {
        StreamJobSpec spec = job.getSpec();
        return new ContainerBuilder()
                .withName(JobObjects.CONTAINER)
                .withImage(spec.getImage() == null ? defaultImage() : spec.getImage())
                .withImagePullPolicy(spec.getImagePullPolicy() == null ? null : spec.getImagePullPolicy().wireName())
                // the image's entrypoint is the stretch launcher (Dockerfile); images built FROM it keep it
                .withArgs("pod")
                .addNewPort()
                .withName(JobObjects.HTTP_PORT_NAME).withContainerPort(JobObjects.HTTP_PORT).withProtocol("TCP")
                .endPort()
                .withEnv(env(spec))
                .withResources(resources(spec.getResources()))
                // the autoscaler resizes CPU in place (pods/resize) without a restart; memory needs one (the JVM
                // sizes its heap at start)
                .addNewResizePolicy().withResourceName("cpu").withRestartPolicy("NotRequired").endResizePolicy()
                .addNewResizePolicy().withResourceName("memory").withRestartPolicy("RestartContainer")
                .endResizePolicy()
                .withStartupProbe(probe("/healthz", 2, 60))
                .withLivenessProbe(probe("/healthz", 10, 3))
                .withReadinessProbe(probe("/readyz", 5, 2))
                .addNewVolumeMount().withName(JOB_VOLUME).withMountPath(JobObjects.JOB_DIR).withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount().withName(TOPOLOGY_VOLUME).withMountPath(JobObjects.TOPOLOGY_DIR)
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName(TOKEN_VOLUME).withMountPath(JobObjects.TOKEN_DIR).withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath(TMP_DIR).withReadOnly(false).endVolumeMount()
                .addAllToVolumeMounts(kafkaSecret(spec) == null ? List.of() : List.of(new VolumeMountBuilder()
                        .withName(KAFKA_VOLUME).withMountPath(KAFKA_SECRET_DIR).withReadOnly(true).build()))
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .build();
    }

    /**
     * The image of pods whose job names none: {@code stretch.operator.runtime-image} (the chart sets it from its
     * values), else the release's runtime image ({@link Defaults#IMAGE}, from the same chart).
     */
    static String defaultImage() {
        return ConfigProvider.getConfig().getOptionalValue("stretch.operator.runtime-image", String.class)
                .filter(s -> !s.isBlank()).orElse(Defaults.IMAGE);
    }

    private static String kafkaSecret(StreamJobSpec spec) {
        return spec.getKafka() == null || spec.getKafka().getSecret() == null || spec.getKafka().getSecret().isBlank()
                ? null : spec.getKafka().getSecret();
    }

    /**
     * The Secret {@code spec.kafka.secret}, when the job names one, as a volume of files readable by the owner and
     * the pod's group (credentials, like the control token). Not optional: a pod whose Secret is missing waits
     * (the kubelet reports the failed mount) rather than running without its credentials.
     */
    private static List<Volume> kafkaVolume(StreamJobSpec spec) {
        String secret = kafkaSecret(spec);
        if (secret == null) {
            return List.of();
        }
        return List.of(new VolumeBuilder().withName(KAFKA_VOLUME).withNewSecret().withSecretName(secret)
                .withDefaultMode(TOKEN_FILE_MODE).endSecret().build());
    }

    private static List<EnvVar> env(StreamJobSpec spec) {
        List<EnvVar> env = new ArrayList<>(List.of(
                fieldRef("POD_NAME", "metadata.name"),
                fieldRef("POD_NAMESPACE", "metadata.namespace"),
                value("STRETCH_TOPOLOGY_FILE", TOPOLOGY_FILE),
                value("STRETCH_JOB_FILE", JOB_FILE),
                value("STRETCH_TOKEN_FILE", TOKEN_FILE),
                value("STRETCH_HTTP_PORT", Integer.toString(JobObjects.HTTP_PORT))));
        if (kafkaSecret(spec) != null) {
            env.add(value("STRETCH_KAFKA_SECRET_DIR", KAFKA_SECRET_DIR));
        }
        return env;
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withApiVersion("v1")
                .withFieldPath(path).endFieldRef().endValueFrom().build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(JobObjects.HTTP_PORT_NAME)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /**
     * The job's requests and limits over the defaults ({@link Defaults#REQUESTS}, {@link Defaults#LIMITS}): a
     * request the job leaves out is the default one; limits the job leaves out entirely are a memory limit equal to
     * the memory request (the JVM sizes its heap from it) and a CPU limit of at least the default.
     */
    public static ResourceRequirements resources(ResourcesSpec r) {
        Map<String, Quantity> requests = new TreeMap<>();
        Defaults.REQUESTS.forEach((k, v) -> requests.put(k, new Quantity(v)));
        if (r != null && r.getRequests() != null) {
            r.getRequests().forEach((k, v) -> requests.put(k, new Quantity(v)));
        }
        Map<String, Quantity> limits = new TreeMap<>();
        if (r != null && r.getLimits() != null && !r.getLimits().isEmpty()) {
            r.getLimits().forEach((k, v) -> limits.put(k, new Quantity(v)));
        } else {
            limits.put("memory", requests.get("memory"));
            Quantity cpu = new Quantity(Defaults.LIMITS.get("cpu"));
            Quantity requested = requests.get("cpu");
            limits.put("cpu", requested.getNumericalAmount().compareTo(cpu.getNumericalAmount()) > 0 ? requested : cpu);
        }
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }

    private static List<io.fabric8.kubernetes.api.model.Toleration> tolerations(List<Toleration> in) {
        if (in == null || in.isEmpty()) {
            return null;
        }
        List<io.fabric8.kubernetes.api.model.Toleration> out = new ArrayList<>();
        for (Toleration t : in) {
            out.add(new TolerationBuilder()
                    .withKey(t.getKey())
                    .withOperator(t.getOperator() == null ? null : t.getOperator().wireName())
                    .withValue(t.getValue())
                    .withEffect(t.getEffect() == null ? null : t.getEffect().wireName())
                    .withTolerationSeconds(t.getTolerationSeconds())
                    .build());
        }
        return out;
    }

    /** The user's labels, then ours: ours win, since the selector and the informers depend on them. */
    private static Map<String, String> podLabels(StreamJob job, PodTemplateSpec overrides) {
        Map<String, String> labels = new TreeMap<>();
        if (overrides.getLabels() != null) {
            labels.putAll(overrides.getLabels());
        }
        labels.putAll(JobObjects.labels(job));
        return labels;
    }

    private static Map<String, String> podAnnotations(StreamJob job, PodTemplateSpec overrides) {
        Map<String, String> annotations = new LinkedHashMap<>();
        // for Prometheus set-ups that discover pods by annotation rather than through a PodMonitor
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", Integer.toString(JobObjects.HTTP_PORT));
        annotations.put("prometheus.io/path", "/metrics");
        if (overrides.getAnnotations() != null) {
            annotations.putAll(overrides.getAnnotations());
        }
        annotations.put(JobObjects.JOB_CHECKSUM_ANNOTATION, JobDocument.checksum(job));
        return new TreeMap<>(annotations);
    }

    @Override
    protected void addReferenceHandlingMetadata(StatefulSet desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
