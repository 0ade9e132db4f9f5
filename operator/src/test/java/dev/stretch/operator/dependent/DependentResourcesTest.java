package dev.stretch.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.model.ImagePullPolicy;
import dev.stretch.model.PodTemplateSpec;
import dev.stretch.model.ResourcesSpec;
import dev.stretch.model.TaintEffect;
import dev.stretch.model.Toleration;
import dev.stretch.model.TolerationOperator;
import dev.stretch.operator.JobDocument;
import dev.stretch.operator.JobObjects;
import dev.stretch.operator.admission.PodSecurityStandard;
import dev.stretch.operator.TestJobs;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.monitoring.PodMonitor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The desired state of each owned object, built from a job alone. */
class DependentResourcesTest {
    private final StreamJob job = job();

    private static StreamJob job() {
        StreamJob j = TestJobs.streamJob(TestJobs.CLICKS, "clicks", "team-a");
        j.getMetadata().setUid("uid-1");
        j.getMetadata().setGeneration(1L);
        return j;
    }

    private StatefulSet statefulSet(StreamJob j) {
        return new StatefulSetDependent().desired(j, null);
    }

    private static Map<String, EnvVar> env(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void shouldPutTheJobDocumentInTheConfigMap() {
        ConfigMap cm = new JobConfigMapDependent().desired(job, null);
        assertThat(cm.getMetadata().getName()).isEqualTo("clicks-job");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(cm.getMetadata().getLabels()).containsEntry(JobObjects.MANAGED_BY_LABEL, JobObjects.MANAGED_BY)
                .containsEntry(JobObjects.JOB_LABEL, "clicks");
        String yaml = cm.getData().get("job.yaml");
        assertThat(yaml).isEqualTo(JobDocument.yaml(job));
        assertThat(yaml).contains("apiVersion: \"stretch.dev/v1alpha1\"").contains("kind: \"StreamJob\"")
                .contains("name: \"clicks\"").contains("double_value > 10").doesNotContain("status");
    }

    @Test
    void shouldGenerateA32ByteBase64UrlTokenThatIsNeverUpdated() {
        ControlTokenSecretDependent dependent = new ControlTokenSecretDependent();
        Secret s = dependent.desired(job, null);
        assertThat(s.getMetadata().getName()).isEqualTo("clicks-control");
        assertThat(s.getImmutable()).as("mutable: a kubelet never refreshes an immutable Secret, so rotation would not reach pods").isNotEqualTo(Boolean.TRUE);
        String token = new String(Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.US_ASCII);
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(dependent).isNotInstanceOf(io.javaoperatorsdk.operator.processing.dependent.Updater.class);
        String again = dependent.desired(job, null).getData().get("token");
        assertThat(again).as("random per creation").isNotEqualTo(s.getData().get("token"));
    }

    @Test
    void shouldMakeAHeadlessServiceThatPublishesNotReadyPods() {
        Service svc = new HeadlessServiceDependent().desired(job, null);
        assertThat(svc.getMetadata().getName()).isEqualTo("clicks-headless");
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(svc.getSpec().getSelector()).isEqualTo(Map.of(JobObjects.JOB_LABEL, "clicks"));
        assertThat(svc.getSpec().getPorts().get(0).getName()).isEqualTo("http");
        assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    }

    @Test
    void shouldLetAtMostOnePodBeDisruptedAtATime() {
        PodDisruptionBudget pdb = new PodDisruptionBudgetDependent().desired(job, null);
        assertThat(pdb.getMetadata().getName()).isEqualTo("clicks");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(JobObjects.JOB_LABEL, "clicks"));
    }

    @Test
    void shouldScrapeTheHttpPortWithAPodMonitor() {
        PodMonitor pm = new PodMonitorDependent().desired(job, null);
        assertThat(pm.getMetadata().getName()).isEqualTo("clicks");
        assertThat(pm.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(JobObjects.JOB_LABEL, "clicks"));
        assertThat(pm.getSpec().getPodMetricsEndpoints().get(0).getPort()).isEqualTo("http");
        assertThat(pm.getSpec().getPodMetricsEndpoints().get(0).getPath()).isEqualTo("/metrics");
        assertThat(pm.getSpec().getPodMetricsEndpoints().get(0).getHonorLabels())
                .as("the pods' own job label must survive the scrape").isTrue();
    }

    @Test
    void shouldRunStretchPodWithThePodContract() {
        StatefulSet sts = statefulSet(job);
        assertThat(sts.getMetadata().getName()).isEqualTo("clicks");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(2);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("clicks-headless");
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(JobObjects.JOB_LABEL, "clicks"));
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(JobObjects.labels(job));

        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("ghcr.io/stretch-dev/stretch:0.1.0");
        assertThat(c.getCommand()).as("the image's entrypoint is the stretch launcher").isNullOrEmpty();
        assertThat(c.getArgs()).containsExactly("pod");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");

        Map<String, EnvVar> env = env(sts);
        assertThat(env.get("STRETCH_JOB_FILE").getValue()).isEqualTo("/etc/stretch/job/job.yaml");
        assertThat(env.get("STRETCH_TOKEN_FILE").getValue()).isEqualTo("/etc/stretch/token/token");
        assertThat(env).as("the pod count is not in the template (CONTRACTS C1)").doesNotContainKey("STRETCH_PODS");
        assertThat(c.getResizePolicy()).extracting(r -> r.getResourceName() + " " + r.getRestartPolicy())
                .as("CPU resized in place without a restart").containsExactly("cpu NotRequired",
                        "memory RestartContainer");
        assertThat(env.get("STRETCH_TOPOLOGY_FILE").getValue()).isEqualTo("/etc/stretch/topology/pods");
        assertThat(env.get("STRETCH_HTTP_PORT").getValue()).isEqualTo("8080");
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");

        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath() + " " + m.getReadOnly())
                .containsExactly("/etc/stretch/job true", "/etc/stretch/topology true", "/etc/stretch/token true",
                        "/tmp false");
        assertThat(c.getVolumeMounts()).as("whole-volume mounts: the kubelet refreshes them in running pods")
                .allSatisfy(m -> assertThat(m.getSubPath()).isNull());
        assertThat(pod.getVolumes()).hasSize(4);
        assertThat(pod.getVolumes().get(0).getConfigMap().getName()).isEqualTo("clicks-job");
        assertThat(pod.getVolumes().get(1).getConfigMap().getName()).isEqualTo("clicks-topology");
        assertThat(pod.getVolumes().get(1).getConfigMap().getItems()).as("every key, as a whole volume").isNullOrEmpty();
        assertThat(pod.getVolumes().get(2).getSecret().getSecretName()).isEqualTo("clicks-control");
        assertThat(pod.getVolumes().get(2).getSecret().getDefaultMode()).as("owner and fsGroup read").isEqualTo(0440);
        assertThat(pod.getVolumes().get(3).getEmptyDir()).as("/tmp: the only writable path").isNotNull();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getSecurityContext().getFsGroup()).as("the non-root user reads the token through its group")
                .isEqualTo(pod.getSecurityContext().getRunAsGroup());
        assertThat(PodSecurityStandard.violations(pod, sts.getSpec().getTemplate().getMetadata().getAnnotations()))
                .as("restricted Pod Security Standard").isEmpty();
        assertThat(c.getResources().getRequests()).as("default requests")
                .containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("1Gi"));
        assertThat(c.getResources().getLimits()).as("default limits")
                .containsEntry("cpu", new Quantity("2")).containsEntry("memory", new Quantity("1Gi"));
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(JobObjects.JOB_CHECKSUM_ANNOTATION, JobDocument.checksum(job));
    }

    @Test
    void shouldApplyImageResourcesAndPodTemplateOverrides() {
        job.getSpec().setImage("registry.example/stretch:dev");
        job.getSpec().setImagePullPolicy(ImagePullPolicy.IF_NOT_PRESENT);
        ResourcesSpec r = new ResourcesSpec();
        r.setRequests(Map.of("cpu", "500m", "memory", "1Gi"));
        r.setLimits(Map.of("cpu", "2"));
        job.getSpec().setResources(r);
        PodTemplateSpec t = new PodTemplateSpec();
        t.setLabels(Map.of("team", "a", JobObjects.JOB_LABEL, "hijack"));
        t.setAnnotations(Map.of("sidecar.istio.io/inject", "false"));
        t.setNodeSelector(Map.of("pool", "stream"));
        Toleration tol = new Toleration();
        tol.setKey("dedicated");
        tol.setOperator(TolerationOperator.EQUAL);
        tol.setValue("stream");
        tol.setEffect(TaintEffect.NO_SCHEDULE);
        t.setTolerations(List.of(tol));
        t.setServiceAccountName("stream-reader");
        job.getSpec().setPodTemplate(t);

        StatefulSet sts = statefulSet(job);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example/stretch:dev");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("500m"))
                .containsEntry("memory", new Quantity("1Gi"));
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("2"));
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "a")
                .as("the job label cannot be overridden").containsEntry(JobObjects.JOB_LABEL, "clicks");
        assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("sidecar.istio.io/inject", "false");
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "stream"));
        assertThat(pod.getTolerations()).singleElement().satisfies(x -> {
            assertThat(x.getOperator()).isEqualTo("Equal");
            assertThat(x.getEffect()).isEqualTo("NoSchedule");
            assertThat(x.getKey()).isEqualTo("dedicated");
        });
        assertThat(pod.getServiceAccountName()).isEqualTo("stream-reader");
        assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    }

    @Test
    void shouldClampReplicasToThePodBoundsAndStopWhenSuspended() {
        job.getSpec().setReplicas(9);
        assertThat(statefulSet(job).getSpec().getReplicas()).as("parallelism.pods.max is 3").isEqualTo(3);
        job.getSpec().setReplicas(null);
        job.getSpec().getParallelism().getPods().setMin(2);
        assertThat(statefulSet(job).getSpec().getReplicas()).as("replicas unset is 1, clamped to pods.min").isEqualTo(2);
        job.getSpec().setSuspend(true);
        StatefulSet suspended = statefulSet(job);
        assertThat(suspended.getSpec().getReplicas()).isZero();
        assertThat(new TopologyConfigMapDependent().desired(job, null).getData())
                .as("the pod count to resume with").containsEntry("pods", "2");
        job.getSpec().setSuspend(false);
        job.getSpec().setReplicas(0);
        assertThat(statefulSet(job).getSpec().getReplicas()).as("explicit scale to zero").isZero();
    }

    @Test
    void shouldChangeTheChecksumWithTheDefinitionButNotWithThePodCount() {
        String before = JobDocument.checksum(job);
        assertThat(JobDocument.checksum(job())).as("deterministic").isEqualTo(before);
        job.getSpec().setReplicas(3);
        job.getSpec().setSuspend(true);
        assertThat(JobDocument.checksum(job)).isEqualTo(before);
        job.getSpec().getPipeline().get(0).getSource().getGenerator().getRate().setRate(99.0);
        assertThat(JobDocument.checksum(job)).isNotEqualTo(before);
        job.getMetadata().setAnnotations(Map.of(JobObjects.PAUSED_ANNOTATION, "true"));
        assertThat(statefulSet(job).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(JobObjects.JOB_CHECKSUM_ANNOTATION)).isEqualTo(JobDocument.checksum(job));
    }

    @Test
    void shouldTellPodsTheirCountThroughTheTopologyConfigMap() {
        ConfigMap cm = new TopologyConfigMapDependent().desired(job, null);
        assertThat(cm.getMetadata().getName()).isEqualTo("clicks-topology");
        assertThat(cm.getMetadata().getLabels()).containsEntry(JobObjects.MANAGED_BY_LABEL, JobObjects.MANAGED_BY)
                .containsEntry(JobObjects.JOB_LABEL, "clicks");
        assertThat(cm.getData()).isEqualTo(Map.of("pods", "2"));
        job.getSpec().setReplicas(3);
        assertThat(new TopologyConfigMapDependent().desired(job, null).getData()).containsEntry("pods", "3");
    }

    @Test
    void shouldAgreeOnAHandoverTimeWhenThePodCountChanges() {
        java.time.Instant now = java.time.Instant.parse("2026-12-03T14:00:00.250Z");
        java.time.Duration lead = java.time.Duration.ofSeconds(90);
        ConfigMap first = TopologyConfigMapDependent.desired(job, null, now, lead);
        assertThat(first.getData()).as("a job's first pods own their splits from the start")
                .isEqualTo(Map.of("pods", "2"));

        job.getSpec().setReplicas(3);
        ConfigMap changed = TopologyConfigMapDependent.desired(job, first, now, lead);
        long t = java.time.Instant.parse("2026-12-03T14:01:31Z").toEpochMilli(); // now + 90 s, whole second up
        assertThat(changed.getData()).containsEntry("pods", "3").containsEntry("handover-at", Long.toString(t))
                .containsEntry("pods-before", "2");

        ConfigMap later = TopologyConfigMapDependent.desired(job, changed, now.plusSeconds(30), lead);
        assertThat(later.getData()).as("the agreed time stays until the count changes again")
                .isEqualTo(changed.getData());
        job.getSpec().setReplicas(1);
        ConfigMap down = TopologyConfigMapDependent.desired(job, later, now.plusSeconds(600), lead);
        assertThat(down.getData()).containsEntry("pods", "1").containsEntry("pods-before", "3")
                .containsEntry("handover-at", Long.toString(t + 600_000));
        assertThat(down.getData().keySet()).as("ConfigMap keys a real API server accepts, and files in the volume")
                .allSatisfy(k -> assertThat(k).matches("[-._a-zA-Z0-9]+").hasSizeLessThanOrEqualTo(253));
    }

    @Test
    void shouldKeepLeavingPodsUntilTheirRecordsUpToTheHandoverHavePassedTheWindows() {
        java.time.Instant t = java.time.Instant.parse("2026-12-03T14:01:31Z");
        Map<String, String> down = Map.of("pods", "1", "pods-before", "3", "handover-at",
                Long.toString(t.toEpochMilli()));
        java.time.Duration drain = StatefulSetDependent.drain(job.getSpec());
        assertThat(drain).as("CLICKS: 1 s windows, in order, 10 s for the sinks")
                .isEqualTo(java.time.Duration.ofSeconds(11));

        assertThat(StatefulSetDependent.replicas(1, down, t.minusSeconds(60), drain)).isEqualTo(3);
        assertThat(StatefulSetDependent.replicas(1, down, t.plus(drain).minusMillis(1), drain)).isEqualTo(3);
        assertThat(StatefulSetDependent.replicas(1, down, t.plus(drain), drain)).as("drained").isEqualTo(1);
        assertThat(StatefulSetDependent.replicas(3, Map.of("pods", "3", "pods-before", "1", "handover-at",
                Long.toString(t.toEpochMilli())), t.minusSeconds(60), drain)).as("scale-out: at once").isEqualTo(3);
        assertThat(StatefulSetDependent.replicas(0, down, t, drain)).as("suspended").isZero();
        assertThat(StatefulSetDependent.replicas(2, down, t, drain)).as("the ConfigMap says another count yet")
                .isEqualTo(2);
        assertThat(StatefulSetDependent.replicas(1, null, t, drain)).isEqualTo(1);
    }

    @Test
    void shouldMountTheKafkaSecretWhereTheRuntimeReadsIt() {
        StatefulSet without = statefulSet(job);
        assertThat(without.getSpec().getTemplate().getSpec().getVolumes())
                .noneMatch(v -> v.getName().equals("kafka-secret"));

        dev.stretch.model.KafkaSpec kafka = new dev.stretch.model.KafkaSpec();
        kafka.setSecret("kafka-client.tls");
        job.getSpec().setKafka(kafka);
        StatefulSet sts = statefulSet(job);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("kafka-secret")).singleElement()
                .satisfies(v -> {
                    assertThat(v.getSecret().getSecretName()).isEqualTo("kafka-client.tls");
                    assertThat(v.getSecret().getOptional()).as("no credentials, no pod").isNotEqualTo(Boolean.TRUE);
                    assertThat(v.getSecret().getDefaultMode()).as("owner and fsGroup read").isEqualTo(0440);
                    assertThat(v.getSecret().getItems()).as("every key, as a whole volume").isNullOrEmpty();
                });
        assertThat(c.getVolumeMounts()).filteredOn(m -> m.getName().equals("kafka-secret")).singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/etc/stretch/kafka");
                    assertThat(m.getReadOnly()).isTrue();
                    assertThat(m.getSubPath()).isNull();
                });
        assertThat(env(sts).get("STRETCH_KAFKA_SECRET_DIR").getValue()).isEqualTo("/etc/stretch/kafka");
        assertThat(env(without)).doesNotContainKey("STRETCH_KAFKA_SECRET_DIR");
        apiServerChecks(pod);
        apiServerChecks(without.getSpec().getTemplate().getSpec());
        assertThat(PodSecurityStandard.violations(pod, sts.getSpec().getTemplate().getMetadata().getAnnotations()))
                .as("restricted Pod Security Standard").isEmpty();
        Map<String, Object> object = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(sts, Map.class);
        assertThat(dev.stretch.operator.chart.ManifestValidator.problems(List.of(object),
                java.nio.file.Path.of("target", "manifests").toAbsolutePath())).as("valid against the API schema").isEmpty();
    }

    /**
     * What the API server's validation of a pod template checks about volumes (pkg/apis/core/validation): volume
     * names are unique DNS-1123 labels, each mount names a volume, mount paths are absolute and unique, a Secret
     * volume names its Secret with a DNS-1123 subdomain, a ConfigMap volume its ConfigMap.
     */
    private static void apiServerChecks(PodSpec pod) {
        String label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
        List<String> names = pod.getVolumes().stream().map(io.fabric8.kubernetes.api.model.Volume::getName).toList();
        assertThat(names).doesNotHaveDuplicates().allSatisfy(n -> assertThat(n).matches(label)
                .hasSizeLessThanOrEqualTo(63));
        for (io.fabric8.kubernetes.api.model.Volume v : pod.getVolumes()) {
            if (v.getSecret() != null) {
                assertThat(v.getSecret().getSecretName()).matches(label + "(\\." + label + ")*")
                        .hasSizeLessThanOrEqualTo(253);
            }
            if (v.getConfigMap() != null) {
                assertThat(v.getConfigMap().getName()).matches(label + "(\\." + label + ")*");
            }
        }
        for (Container c : pod.getContainers()) {
            assertThat(c.getVolumeMounts()).allSatisfy(m -> {
                assertThat(names).contains(m.getName());
                assertThat(m.getMountPath()).startsWith("/").doesNotContain("..").doesNotContain(":");
            });
            assertThat(c.getVolumeMounts().stream().map(io.fabric8.kubernetes.api.model.VolumeMount::getMountPath))
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void shouldKeepThePodTemplateWhenOnlyThePodCountChanges() {
        // a template change rolls every pod: a horizontal scaling step must change replicas and nothing else
        job.getSpec().setReplicas(1);
        StatefulSet one = statefulSet(job);
        job.getSpec().setReplicas(3);
        StatefulSet three = statefulSet(job);
        job.getSpec().setSuspend(true);
        StatefulSet suspended = statefulSet(job);
        assertThat(one.getSpec().getReplicas()).isEqualTo(1);
        assertThat(three.getSpec().getReplicas()).isEqualTo(3);
        assertThat(suspended.getSpec().getReplicas()).isZero();
        assertThat(three.getSpec().getTemplate()).isEqualTo(one.getSpec().getTemplate());
        assertThat(suspended.getSpec().getTemplate()).isEqualTo(one.getSpec().getTemplate());
        one.getSpec().setReplicas(3);
        assertThat(three).as("nothing else differs").isEqualTo(one);
    }

    @Test
    void shouldMakeTheJobTheControllerOwnerOnce() {
        ConfigMap cm = new JobConfigMapDependent().desired(job, null);
        JobObjects.addControllerReference(cm, job);
        JobObjects.addControllerReference(cm, job);
        assertThat(cm.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getUid()).isEqualTo("uid-1");
            assertThat(r.getKind()).isEqualTo("StreamJob");
            assertThat(r.getApiVersion()).isEqualTo("stretch.dev/v1alpha1");
            assertThat(r.getController()).isTrue();
            assertThat(r.getBlockOwnerDeletion()).isTrue();
        });
    }
}
