package dev.stretch.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stretch.model.StreamJobSpec;
import dev.stretch.operator.customresource.JobPhase;
import dev.stretch.operator.customresource.OperatorStatus;
import dev.stretch.operator.customresource.ScalingDecision;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.customresource.StreamJobStatus;
import dev.stretch.operator.kubelet.Kubelet;
import dev.stretch.operator.monitoring.PodMonitor;
import dev.stretch.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import dev.stretch.operator.chart.ChartTest;
import dev.stretch.operator.chart.MonitoringReferences;
import io.quarkus.test.common.http.TestHTTPResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.dependent.workflow.CRDPresentActivationCondition;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator end to end against the Fabric8 mock server (CRUD mode), with {@link Kubelet} playing the StatefulSet
 * controller, the kubelet (one real {@code stretch pod} process per pod, on 127.0.0.N) and the garbage collector.
 *
 * <p>Methods run in order and tell one story about job {@code clicks}: created, running, its spec changed, scaled
 * through the scale subresource, paused, suspended, deleted; then an invalid job and the optional PodMonitor.
 * Without the runtime jar, pods become Ready without a process and the assertions that need a process are skipped
 * (the reason is printed).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamJobOperatorTest {
    static final String JOB = "clicks";
    static Kubelet kubelet;

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/q/metrics")
    java.net.URL operatorMetrics;

    @BeforeEach
    void startKubelet() {
        if (kubelet == null) {
            // every pod of these tests passes Pod Security admission at the restricted level (the kubelet enforces it)
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(client.getNamespace())
                    .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build())
                    .createOr(r -> r.update());
            kubelet = Kubelet.start(client, client.getNamespace());
        }
    }

    @AfterAll
    static void stopKubelet() {
        if (kubelet != null) {
            kubelet.close();
            kubelet = null;
        }
    }

    // ------------------------------------------------------------------ the CRD

    @Test
    @Order(1)
    void shouldGenerateTheCommittedCrd() throws Exception {
        Path generated = Path.of("target/kubernetes/streamjobs.stretch.dev-v1.yml");
        Path committed = Path.of("../crds/streamjobs.stretch.dev-v1.yml");
        assertThat(generated).as("QOSDK writes the CRD while augmenting the test application").exists();
        Path inChart = Path.of("../helm/stretch/crds/streamjobs.stretch.dev-v1.yml");
        if (Boolean.getBoolean("stretch.crd.update")) {
            Files.copy(generated, committed, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(generated, inChart, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.readString(inChart)).as("the chart's copy of the CRD (-Dstretch.crd.update=true refreshes it)")
                .isEqualTo(Files.readString(generated));
        assertThat(committed).as("crds/ has the generated CRD").exists();
        assertThat(Files.readString(committed))
                .as("crds/streamjobs.stretch.dev-v1.yml is stale; refresh it: mvn -pl operator -am verify -Dstretch.crd.update=true")
                .isEqualTo(Files.readString(generated));

        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName(StreamJob.CRD_NAME).get();
        assertThat(crd).as("applied to the mock server at start-up").isNotNull();
        CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
        assertThat(v.getName()).isEqualTo("v1alpha1");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("sj");
        assertThat(v.getAdditionalPrinterColumns()).extracting(c -> c.getName())
                .containsExactly("Phase", "Pods", "Threads", "Input-Rate", "Lag-Ms", "CPU", "Scaling", "Age");
        assertThat(v.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
        assertThat(v.getSubresources().getScale().getStatusReplicasPath()).isEqualTo(".status.replicas");
        assertThat(v.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
        assertThat(v.getSubresources().getStatus()).isNotNull();
    }

    // ------------------------------------------------------------------ clicks: created and running

    @Test
    @Order(2)
    void shouldCreateOwnedObjectsAndRunReadyPodsWhenAJobIsCreated() {
        StreamJob created = client.resource(TestJobs.streamJob(TestJobs.CLICKS, JOB, ns())).create();
        String uid = created.getMetadata().getUid();

        waitLong().untilAsserted(() -> {
            assertThat(configMap()).isNotNull();
            assertThat(secret()).isNotNull();
            assertThat(service()).isNotNull();
            assertThat(pdb()).isNotNull();
            assertThat(statefulSet()).isNotNull();
        });
        for (HasMetadata owned : List.of(configMap(), secret(), service(), pdb(), statefulSet())) {
            OwnerReference ref = owned.getMetadata().getOwnerReferences().get(0);
            assertThat(ref.getUid()).as(owned.getKind() + " owner").isEqualTo(uid);
            assertThat(ref.getKind()).isEqualTo("StreamJob");
            assertThat(ref.getController()).isTrue();
            assertThat(owned.getMetadata().getLabels()).containsEntry(JobObjects.MANAGED_BY_LABEL, JobObjects.MANAGED_BY)
                    .containsEntry(JobObjects.JOB_LABEL, JOB);
        }
        assertThat(configMap().getData().get("job.yaml")).contains("name: \"clicks\"").contains("value * 2");
        assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(2);
        assertThat(service().getSpec().getClusterIP()).isEqualTo("None");

        waitLong().untilAsserted(() -> {
            StreamJobStatus s = status();
            assertThat(s.getPhase()).isEqualTo(JobPhase.RUNNING);
            assertThat(s.getPods()).isEqualTo("2/2");
            assertThat(s.getReadyReplicas()).isEqualTo(2);
            assertThat(s.getReplicas()).isEqualTo(2);
            assertThat(s.getSelector()).isEqualTo("stretch.dev/job=clicks");
            assertThat(s.getObservedGeneration()).isEqualTo(job().getMetadata().getGeneration());
            assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
            assertThat(condition(Conditions.DEGRADED).getStatus()).isEqualTo("False");
            assertThat(condition(Conditions.SCALING).getStatus()).isEqualTo("False");
            assertThat(condition(Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("False");
        });
        assertThat(events(JOB, "JobReady")).hasSize(1);

        if (!kubelet.runtime().available()) {
            // no process answers GET /v1/status: tolerated and reported
            waitLong().untilAsserted(() -> assertThat(status().getUnreachablePods()).containsExactly("clicks-0", "clicks-1"));
            assumeTrue(false, kubelet.runtime().unavailableReason());
        }
        assertThat(kubelet.runningPods()).containsExactlyInAnyOrder("clicks-0", "clicks-1");
        waitLong().untilAsserted(() -> {
            StreamJobStatus s = status();
            assertThat(s.getUnreachablePods()).isNull();
            OperatorStatus window = s.getOperators().stream().filter(o -> o.getName().equals("per-key")).findFirst()
                    .orElseThrow();
            assertThat(window.getThreads()).isEqualTo(Map.of("clicks-0", 2, "clicks-1", 2));
            assertThat(s.getThreads()).isEqualTo(4);
            assertThat(s.getInputRate()).isNotNull();
            assertThat(s.getEventTimeLagMs()).isNotNull();
        });
    }

    @Test
    @Order(3)
    void shouldRefreshStatusWithoutMovingLastTransitionTime() {
        // the status is written only when something in it changes: the pods' load does, so this needs real pods
        assumeTrue(kubelet.runtime().available(), kubelet.runtime().unavailableReason());
        Condition ready = condition(Conditions.READY);
        String metricsTime = status().getMetricsTime();
        waitLong().untilAsserted(() -> assertThat(status().getMetricsTime()).isNotEqualTo(metricsTime));
        assertThat(condition(Conditions.READY).getLastTransitionTime()).isEqualTo(ready.getLastTransitionTime());
        assertThat(events(JOB, "JobReady")).hasSize(1);
    }

    // ------------------------------------------------------------------ clicks: spec change

    @Test
    @Order(4)
    void shouldRollPodsOntoTheNewJobWhenTheSpecChanges() {
        String token = secret().getData().get("token");
        String checksum = podTemplateChecksum();
        Map<String, Long> pids = pids();
        long generation = job().getMetadata().getGeneration();

        patchJob(JOB, "add", "/spec/pipeline/0/source/generator/rate/rate", 75.0);

        waitLong().untilAsserted(() -> {
            assertThat(configMap().getData().get("job.yaml")).contains("rate: 75.0");
            assertThat(podTemplateChecksum()).isNotEqualTo(checksum);
            assertThat(status().getObservedGeneration()).isEqualTo(generation + 1);
            assertThat(status().getPhase()).isEqualTo(JobPhase.RUNNING);
            assertThat(status().getPods()).isEqualTo("2/2");
            for (Pod p : pods()) {
                assertThat(p.getMetadata().getAnnotations()).containsEntry(JobObjects.JOB_CHECKSUM_ANNOTATION,
                        podTemplateChecksum());
            }
        });
        assertThat(secret().getData().get("token")).as("the control token is never regenerated").isEqualTo(token);

        assumeTrue(kubelet.runtime().available(), kubelet.runtime().unavailableReason());
        waitLong().untilAsserted(() -> {
            for (String pod : List.of("clicks-0", "clicks-1")) {
                Kubelet.Launch now = kubelet.running(pod);
                assertThat(now).as(pod + " runs").isNotNull();
                assertThat(now.pid()).as(pod + " was restarted").isNotEqualTo(pids.get(pod));
                assertThat(now.jobYaml()).as(pod + " runs the new job").contains("rate: 75.0");
                assertThat(now.checksum()).isEqualTo(podTemplateChecksum());
            }
            assertThat(status().getUnreachablePods()).isNull();
        });
    }

    // ------------------------------------------------------------------ clicks: scale subresource

    @Test
    @Order(5)
    void shouldChangeThePodCountThroughTheScaleSubresource() {
        // GET/PUT .../streamjobs/clicks/scale, what kubectl scale, an HPA or KEDA do
        assertThat(client.resources(StreamJob.class).inNamespace(ns()).withName(JOB).scale().getSpec().getReplicas())
                .isEqualTo(2);
        String template = podTemplateHash();
        Map<String, Long> pids = pids();
        client.resources(StreamJob.class).inNamespace(ns()).withName(JOB).scale(3);

        waitLong().untilAsserted(() -> {
            assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(3);
            assertThat(topology().getData()).containsEntry("pods", "3");
            assertThat(status().getPods()).isEqualTo("3/3");
            assertThat(status().getPhase()).isEqualTo(JobPhase.RUNNING);
            ScalingDecision d = status().getLastScalingDecision();
            assertThat(d.getReason()).isEqualTo(ScalingDecision.REPLICAS_CHANGED);
            assertThat(d.getFromReplicas()).isEqualTo(2);
            assertThat(d.getToReplicas()).isEqualTo(3);
            assertThat(events(JOB, ScalingDecision.REPLICAS_CHANGED)).hasSize(1);
            if (kubelet.runtime().available()) {
                assertThat(kubelet.runningPods()).containsExactlyInAnyOrder("clicks-0", "clicks-1", "clicks-2");
            }
        });
        // CONTRACTS C1: the count reaches the pods through the topology file, not the template; nothing restarts
        assertThat(podTemplateHash()).as("the pod template is unchanged").isEqualTo(template);
        for (Pod p : pods()) {
            assertThat(p.getMetadata().getLabels()).containsEntry(Kubelet.REVISION_LABEL, template);
        }
        if (kubelet.runtime().available()) {
            waitLong().untilAsserted(() -> {
                for (String pod : List.of("clicks-0", "clicks-1", "clicks-2")) {
                    Kubelet.Launch l = kubelet.running(pod);
                    assertThat(l.env()).doesNotContainKey("STRETCH_PODS");
                    assertThat(Files.readString(l.file("STRETCH_TOPOLOGY_FILE")).trim()).as(pod).isEqualTo("3");
                }
            });
            for (Map.Entry<String, Long> p : pids.entrySet()) {
                assertThat(kubelet.running(p.getKey()).pid()).as(p.getKey() + " kept running").isEqualTo(p.getValue());
            }
        }

        // above parallelism.pods.max: clamped, and said so
        client.resources(StreamJob.class).inNamespace(ns()).withName(JOB).scale(5);
        waitLong().untilAsserted(() -> {
            assertThat(job().getSpec().getReplicas()).isEqualTo(5);
            assertThat(events(JOB, "ReplicasOutOfBounds")).hasSize(1);
            assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(3);
        });
        client.resources(StreamJob.class).inNamespace(ns()).withName(JOB).scale(2);
        waitLong().untilAsserted(() -> {
            assertThat(status().getPods()).isEqualTo("2/2");
            assertThat(pods()).hasSize(2);
            assertThat(status().getLastScalingDecision().getToReplicas()).isEqualTo(2);
            assertThat(topology().getData()).containsEntry("pods", "2");
            if (kubelet.runtime().available()) {
                assertThat(Files.readString(kubelet.running("clicks-0").file("STRETCH_TOPOLOGY_FILE")).trim())
                        .isEqualTo("2");
            }
        });
        if (kubelet.runtime().available()) {
            assertThat(kubelet.running("clicks-0").pid()).as("scaling in restarts no pod").isEqualTo(pids.get("clicks-0"));
        }
        assertThat(podTemplateHash()).isEqualTo(template);
    }

    // ------------------------------------------------------------------ clicks: paused

    @Test
    @Order(6)
    void shouldLeaveOwnedObjectsAloneWhilePaused() {
        patchJob(JOB, "add", annotationPath(JobObjects.PAUSED_ANNOTATION), "true");
        waitLong().untilAsserted(() -> {
            assertThat(condition(Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("True");
            assertThat(status().getPhase()).isEqualTo(JobPhase.PAUSED);
            assertThat(events(JOB, "ReconciliationPaused")).hasSize(1);
        });
        patchJob(JOB, "add", "/spec/replicas", 1);
        long generation = job().getMetadata().getGeneration();
        waitShort().during(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(statefulSet().getSpec().getReplicas()).as("paused: spec changes are not applied").isEqualTo(2);
            assertThat(status().getObservedGeneration()).isLessThan(generation);
        });

        patchJob(JOB, "remove", annotationPath(JobObjects.PAUSED_ANNOTATION), null);
        waitLong().untilAsserted(() -> {
            assertThat(condition(Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("False");
            assertThat(events(JOB, "ReconciliationResumed")).hasSize(1);
            assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(1);
            assertThat(status().getObservedGeneration()).isEqualTo(generation);
            assertThat(status().getPods()).isEqualTo("1/1");
            assertThat(status().getPhase()).isEqualTo(JobPhase.RUNNING);
        });
    }

    // ------------------------------------------------------------------ clicks: suspended

    @Test
    @Order(7)
    void shouldRemovePodsAndKeepTheStatusWhenSuspended() {
        patchJob(JOB, "add", "/spec/suspend", true);
        waitLong().untilAsserted(() -> {
            assertThat(statefulSet().getSpec().getReplicas()).isZero();
            assertThat(pods()).isEmpty();
            assertThat(kubelet.runningPods()).isEmpty();
            StreamJobStatus s = status();
            assertThat(s.getPhase()).isEqualTo(JobPhase.SUSPENDED);
            assertThat(s.getPods()).isEqualTo("0/0");
            assertThat(s.getLastScalingDecision().getReason()).isEqualTo(ScalingDecision.SUSPENDED);
            assertThat(condition(Conditions.READY).getStatus()).isEqualTo("False");
            assertThat(condition(Conditions.READY).getReason()).isEqualTo("Suspended");
        });
        // the job's definition and its objects stay
        assertThat(configMap()).isNotNull();
        assertThat(secret()).isNotNull();
        assertThat(service()).isNotNull();
        assertThat(events(JOB, ScalingDecision.SUSPENDED)).hasSize(1);
    }

    // ------------------------------------------------------------------ clicks: deleted

    @Test
    @Order(8)
    void shouldRemoveEverythingWhenTheJobIsDeleted() {
        patchJob(JOB, "add", "/spec/suspend", false); // pods again, so that deleting must take them too
        waitLong().untilAsserted(() -> assertThat(status().getPods()).isEqualTo("1/1"));
        assertThat(job().getMetadata().getFinalizers()).as("no finalizer: owner references do the cleanup").isEmpty();

        client.resources(StreamJob.class).inNamespace(ns()).withName(JOB).delete();
        // the mock server has no garbage collector: the test kubelet emulates it, following owner references
        waitLong().untilAsserted(() -> {
            assertThat(job()).isNull();
            assertThat(configMap()).isNull();
            assertThat(secret()).isNull();
            assertThat(service()).isNull();
            assertThat(pdb()).isNull();
            assertThat(statefulSet()).isNull();
            assertThat(pods()).isEmpty();
            assertThat(kubelet.runningPods()).isEmpty();
        });
    }

    // ------------------------------------------------------------------ invalid spec

    @Test
    @Order(9)
    void shouldReportAnInvalidSpecAndCreateNothing() {
        String name = "broken";
        client.resource(TestJobs.streamJob(TestJobs.BROKEN, name, ns())).create();
        waitLong().untilAsserted(() -> {
            StreamJobStatus s = status(name);
            assertThat(s).isNotNull();
            assertThat(s.getPhase()).isEqualTo(JobPhase.FAILED);
            Condition degraded = Conditions.find(s.getConditions(), Conditions.DEGRADED).orElseThrow();
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
            assertThat(degraded.getMessage()).contains("spec.pipeline[1].map.set.doubled")
                    .contains("spec.pipeline[2].window.keyBy: unknown field 'user'");
            assertThat(events(name, "InvalidSpec")).hasSize(1);
            assertThat(events(name, "InvalidSpec").get(0).getType()).isEqualTo("Warning");
            assertThat(events(name, "InvalidSpec").get(0).getMessage()).contains("spec.pipeline[2].window.keyBy");
        });
        String resourceVersion = client.resources(StreamJob.class).inNamespace(ns()).withName(name).get()
                .getMetadata().getResourceVersion();
        // no hot loop: nothing is written again, no further Event
        waitShort().during(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(client.resources(StreamJob.class).inNamespace(ns()).withName(name).get().getMetadata()
                    .getResourceVersion()).isEqualTo(resourceVersion);
            assertThat(events(name, "InvalidSpec")).hasSize(1);
        });
        assertThat(client.configMaps().inNamespace(ns()).withName(name + "-job").get()).isNull();
        assertThat(client.secrets().inNamespace(ns()).withName(name + "-control").get()).isNull();
        assertThat(client.services().inNamespace(ns()).withName(name + "-headless").get()).isNull();
        assertThat(client.apps().statefulSets().inNamespace(ns()).withName(name).get()).isNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns()).withName(name).get()).isNull();

        // fixing the spec creates the job
        StreamJobSpec fixed = TestJobs.streamJob(TestJobs.CLICKS, name, ns()).getSpec();
        fixed.setReplicas(1);
        patchJob(name, "add", "/spec", fixed);
        waitLong().untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace(ns()).withName(name).get()).isNotNull();
            assertThat(Conditions.find(status(name).getConditions(), Conditions.DEGRADED).orElseThrow().getStatus())
                    .isEqualTo("False");
            assertThat(status(name).getPhase()).isEqualTo(JobPhase.RUNNING);
        });
        client.resources(StreamJob.class).inNamespace(ns()).withName(name).delete();
        waitLong().untilAsserted(() -> assertThat(kubelet.runningPods()).isEmpty());
    }

    // ------------------------------------------------------------------ PodMonitor (last: JOSDK caches CRD presence)

    // ------------------------------------------------------------------ status writes, admission, token rotation

    @Test
    @Order(10)
    void shouldNotRewriteAStatusThatDidNotChange() {
        StreamJob quiet = TestJobs.streamJob(TestJobs.CLICKS, "quiet", ns());
        quiet.getSpec().setSuspend(true);
        client.resource(quiet).create();
        waitLong().untilAsserted(() -> assertThat(status("quiet").getPhase()).isEqualTo(JobPhase.SUSPENDED));
        String version = client.resources(StreamJob.class).inNamespace(ns()).withName("quiet").get().getMetadata()
                .getResourceVersion();
        double unchanged = unchangedStatusUpdates();
        // several periodic refreshes (1 s in tests) find nothing new...
        waitLong().until(() -> unchangedStatusUpdates() >= unchanged + 3);
        // ...and write nothing: the resource version has not moved
        assertThat(client.resources(StreamJob.class).inNamespace(ns()).withName("quiet").get().getMetadata()
                .getResourceVersion()).isEqualTo(version);
        client.resources(StreamJob.class).inNamespace(ns()).withName("quiet").delete();
    }

    @Test
    @Order(11)
    void shouldReportDegradedWhenTheStatefulSetCannotCreatePods() {
        client.resourceQuotas().inNamespace(ns()).resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("no-pods").endMetadata().withNewSpec().addToHard("pods", new Quantity("0")).endSpec().build())
                .create();
        client.resource(TestJobs.streamJob(TestJobs.CLICKS, "refused", ns())).create();
        waitLong().untilAsserted(() -> {
            Condition degraded = Conditions.find(status("refused").getConditions(), Conditions.DEGRADED).orElseThrow();
            assertThat(degraded.getStatus()).isEqualTo("True");
            assertThat(degraded.getReason()).isEqualTo("PodCreationFailed");
            assertThat(degraded.getMessage()).contains("exceeded quota: no-pods");
            assertThat(status("refused").getPhase()).isEqualTo(JobPhase.FAILED);
        });
        assertThat(events("refused", "PodCreationFailed")).hasSize(1);

        client.resourceQuotas().inNamespace(ns()).withName("no-pods").delete();
        waitLong().untilAsserted(() -> {
            assertThat(status("refused").getPhase()).isEqualTo(JobPhase.RUNNING);
            assertThat(Conditions.find(status("refused").getConditions(), Conditions.DEGRADED).orElseThrow()
                    .getStatus()).isEqualTo("False");
        });
        client.resources(StreamJob.class).inNamespace(ns()).withName("refused").delete();
        waitLong().until(() -> client.pods().inNamespace(ns()).withLabel(JobObjects.JOB_LABEL, "refused").list()
                .getItems().isEmpty());
    }

    @Test
    @Order(12)
    void shouldRotateTheControlTokenWithoutRestartingThePods() throws Exception {
        assumeTrue(kubelet.runtime().available(), kubelet.runtime().unavailableReason());
        StreamJob job = TestJobs.streamJob(TestJobs.CLICKS, "rotate", ns());
        job.getSpec().setReplicas(1);
        client.resource(job).create();
        waitLong().untilAsserted(() -> assertThat(status("rotate").getPhase()).isEqualTo(JobPhase.RUNNING));
        Kubelet.Launch pod = kubelet.running("rotate-0");
        String before = token("rotate");
        assertThat(rescale(pod, before, 3)).isEqualTo(200);

        client.secrets().inNamespace(ns()).withName("rotate-control").delete();
        waitLong().until(() -> token("rotate") != null && !token("rotate").equals(before));
        String after = token("rotate");
        waitLong().untilAsserted(() -> assertThat(rescale(pod, after, 2)).as("the new token").isEqualTo(200));
        assertThat(rescale(pod, before, 1)).as("the old token").isEqualTo(401);
        assertThat(kubelet.running("rotate-0").pid()).as("the same process: no restart").isEqualTo(pod.pid());
        client.resources(StreamJob.class).inNamespace(ns()).withName("rotate").delete();
    }

    /**
     * The chart's dashboards and alerts against what runs: every metric a panel, annotation, variable or alert
     * references is exported by a live {@code stretch pod} or by this operator ({@code /q/metrics}), and every
     * expression parses ({@code promtool check rules}).
     */
    @Test
    @Order(13)
    void shouldExportEveryMetricTheDashboardsAndAlertsUse() throws Exception {
        assumeTrue(kubelet.runtime().available(), kubelet.runtime().unavailableReason());
        client.resource(TestJobs.streamJob(TestJobs.CLICKS, "watched", ns())).create();
        waitLong().untilAsserted(() -> assertThat(status("watched").getPhase()).isEqualTo(JobPhase.RUNNING));
        // a pod-count decision, so its counter exists
        client.resources(StreamJob.class).inNamespace(ns()).withName("watched").scale(1);
        waitLong().untilAsserted(() -> assertThat(status("watched").getLastScalingDecision()).isNotNull());
        // the pod count rolled the pods: wait until the one left runs and answers
        waitLong().untilAsserted(() -> {
            assertThat(status("watched").getPhase()).isEqualTo(JobPhase.RUNNING);
            assertThat(status("watched").getPods()).isEqualTo("1/1");
            assertThat(condition("watched", Conditions.SCALING).getStatus()).isEqualTo("False");
        });
        java.util.Set<String> fromPod = new java.util.TreeSet<>();
        waitLong().untilAsserted(() -> {
            Kubelet.Launch pod = kubelet.running("watched-0");
            fromPod.addAll(MonitoringReferences.exported(get("http://" + pod.address() + ":" + pod.port() + "/metrics")));
        });
        java.util.Set<String> byOperator = MonitoringReferences.exported(get(operatorMetrics.toString()));
        java.util.Set<String> exported = new java.util.TreeSet<>(byOperator);
        exported.addAll(fromPod);

        Path chart = Path.of("../helm/stretch");
        Map<String, String> expressions = new java.util.LinkedHashMap<>(
                MonitoringReferences.dashboardExpressions(chart.resolve("dashboards")));
        var rule = ChartTest.kind(ChartTest.render(t -> t.set("prometheusRule.enabled", true)), "PrometheusRule").get(0);
        expressions.putAll(MonitoringReferences.alertExpressions(rule));
        assertThat(expressions).hasSizeGreaterThan(20);
        assertThat(MonitoringReferences.unexported(expressions, exported))
                .as("metrics referenced by the chart but exported by neither a stretch pod nor the operator")
                .isEmpty();
        Map<String, String> operatorPanels = new java.util.LinkedHashMap<>(expressions);
        operatorPanels.keySet().removeIf(k -> !k.startsWith("stretch-operator.json"));
        assertThat(operatorPanels).isNotEmpty();
        assertThat(MonitoringReferences.unexported(operatorPanels, byOperator))
                .as("the operator dashboard's metrics, all exported by the operator").isEmpty();

        // every expression is valid PromQL: the alerts as they are, the dashboards' as recording rules
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int i = 0;
        for (var e : MonitoringReferences.dashboardExpressions(chart.resolve("dashboards")).entrySet()) {
            rules.append("      - record: dashboard:expr_").append(i++).append("\n        expr: ")
                    .append(new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(MonitoringReferences.withoutGrafanaVariables(e.getValue()))).append('\n');
        }
        Path dir = Files.createDirectories(Path.of("target/promtool"));
        Files.writeString(dir.resolve("dashboards.yml"), rules);
        Files.writeString(dir.resolve("alerts.yml"), ChartTest.YAML.writeValueAsString(rule.path("spec")));
        String promtool = new String(new ProcessBuilder("bash", "../scripts/debian-tool.sh", "prometheus", "promtool")
                .start().getInputStream().readAllBytes()).trim();
        Process check = new ProcessBuilder(promtool, "check", "rules", dir.resolve("dashboards.yml").toString(),
                dir.resolve("alerts.yml").toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(out).isZero();
        client.resources(StreamJob.class).inNamespace(ns()).withName("watched").delete();
    }

    /** The operator runs jobs in any namespace (the chart's default, watchNamespaces empty), not only its own. */
    @Test
    @Order(14)
    void shouldRunJobsInAnyNamespace() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-x").endMetadata().build())
                .createOr(r -> r.update());
        StreamJob elsewhere = TestJobs.streamJob(TestJobs.CLICKS, "elsewhere", "team-x");
        elsewhere.getSpec().setSuspend(true);
        client.resource(elsewhere).create();
        waitLong().untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace("team-x").withName("elsewhere").get()).isNotNull();
            assertThat(client.resources(StreamJob.class).inNamespace("team-x").withName("elsewhere").get().getStatus()
                    .getPhase()).isEqualTo(JobPhase.SUSPENDED);
        });
        client.resources(StreamJob.class).inNamespace("team-x").withName("elsewhere").delete();
    }

    private static String get(String url) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private String token(String job) {
        Secret s = client.secrets().inNamespace(ns()).withName(job + "-control").get();
        return s == null ? null : new String(java.util.Base64.getDecoder().decode(s.getData().get("token")),
                java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int rescale(Kubelet.Launch pod, String token, int threads) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + pod.address() + ":"
                + pod.port() + "/v1/parallelism"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"operator\": \"per-key\", \"instances\": " + threads + "}"))
                .timeout(Duration.ofSeconds(5)).build();
        return java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private double unchangedStatusUpdates() {
        var c = registry.find("stretch.streamjob.status.updates").tag("result", "unchanged").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    @Order(100)
    void shouldCreateAPodMonitorOnlyOnceItsCrdExists() {
        String name = "monitored";
        StreamJob job = TestJobs.streamJob(TestJobs.CLICKS, name, ns());
        job.getSpec().setSuspend(true); // no pods needed here
        client.resource(job).create();
        waitLong().untilAsserted(() -> assertThat(client.apps().statefulSets().inNamespace(ns()).withName(name).get())
                .isNotNull());
        assertThat(client.resources(PodMonitor.class).inNamespace(ns()).withName(name).get()).isNull();

        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("podmonitors.monitoring.coreos.com").endMetadata()
                .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                .withNewNames().withKind("PodMonitor").withPlural("podmonitors").withSingular("podmonitor").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
        CRDPresentActivationCondition.clearState(); // forget "absent" instead of waiting a minute for the re-check

        waitLong().untilAsserted(() -> {
            PodMonitor pm = client.resources(PodMonitor.class).inNamespace(ns()).withName(name).get();
            assertThat(pm).isNotNull();
            assertThat(pm.getSpec().getPodMetricsEndpoints().get(0).getPort()).isEqualTo("http");
            assertThat(pm.getSpec().getPodMetricsEndpoints().get(0).getPath()).isEqualTo("/metrics");
            assertThat(pm.getMetadata().getOwnerReferences().get(0).getUid())
                    .isEqualTo(client.resources(StreamJob.class).inNamespace(ns()).withName(name).get().getMetadata()
                            .getUid());
        });
        client.resources(StreamJob.class).inNamespace(ns()).withName(name).delete();
    }

    // ------------------------------------------------------------------ helpers

    private ConditionFactory waitLong() {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 0 && kubelet.lastError() != null) {
                        System.err.println("test kubelet: last error " + kubelet.lastError());
                    }
                });
    }

    private ConditionFactory waitShort() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200));
    }

    private String ns() {
        return client.getNamespace();
    }

    /**
     * Changes the job as {@code kubectl patch --type json} does: one JSON Patch operation without the resourceVersion,
     * so the change cannot conflict with the operator's own status writes (an edit() of a copy read a moment earlier
     * got 409 Conflict whenever the operator wrote status in between).
     */
    private void patchJob(String name, String op, String path, Object value) {
        Map<String, Object> operation = new HashMap<>();
        operation.put("op", op);
        operation.put("path", path);
        if (value != null) {
            operation.put("value", value);
        }
        client.resources(StreamJob.class).inNamespace(ns()).withName(name)
                .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(operation)));
    }

    /** A JSON Pointer to an annotation (RFC 6901: "~" and "/" escaped). */
    private static String annotationPath(String key) {
        return "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
    }

    private StreamJob job() {
        return client.resources(StreamJob.class).inNamespace(ns()).withName(JOB).get();
    }

    private StreamJobStatus status() {
        return status(JOB);
    }

    private StreamJobStatus status(String name) {
        StreamJob j = client.resources(StreamJob.class).inNamespace(ns()).withName(name).get();
        return j == null ? null : j.getStatus();
    }

    private Condition condition(String job, String type) {
        return Conditions.find(Objects.requireNonNull(status(job), "no status").getConditions(), type).orElseThrow();
    }

    private Condition condition(String type) {
        return Conditions.find(Objects.requireNonNull(status(), "no status").getConditions(), type).orElseThrow();
    }

    private ConfigMap configMap() {
        return client.configMaps().inNamespace(ns()).withName(JOB + "-job").get();
    }

    private Secret secret() {
        return client.secrets().inNamespace(ns()).withName(JOB + "-control").get();
    }

    private Service service() {
        return client.services().inNamespace(ns()).withName(JOB + "-headless").get();
    }

    private PodDisruptionBudget pdb() {
        return client.policy().v1().podDisruptionBudget().inNamespace(ns()).withName(JOB).get();
    }

    private StatefulSet statefulSet() {
        return client.apps().statefulSets().inNamespace(ns()).withName(JOB).get();
    }

    private List<Pod> pods() {
        return client.pods().inNamespace(ns()).withLabel(JobObjects.JOB_LABEL, JOB).list().getItems();
    }

    private ConfigMap topology() {
        return client.configMaps().inNamespace(ns()).withName(JOB + "-topology").get();
    }

    /** The revision the kubelet (as the StatefulSet controller) computes from the pod template. */
    private String podTemplateHash() {
        return statefulSet().getStatus().getUpdateRevision();
    }

    private String podTemplateChecksum() {
        return statefulSet().getSpec().getTemplate().getMetadata().getAnnotations()
                .get(JobObjects.JOB_CHECKSUM_ANNOTATION);
    }

    private Map<String, Long> pids() {
        Map<String, Long> out = new HashMap<>();
        for (String pod : kubelet.runningPods()) {
            Kubelet.Launch l = kubelet.running(pod);
            if (l != null) {
                out.put(pod, l.pid());
            }
        }
        return out;
    }

    private List<Event> events(String involved, String reason) {
        return client.v1().events().inNamespace(ns()).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }
}
