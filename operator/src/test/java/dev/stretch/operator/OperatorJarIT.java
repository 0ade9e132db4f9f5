package dev.stretch.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.kubelet.PodRuntime;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, prod profile: leader election, CRD check at
 * start-up) run as a process against a kubeconfig — the way {@code scripts/run-against-cluster.sh} runs it.
 *
 * <ul>
 *   <li>Always: against a Fabric8 mock server (CRUD mode) on loopback, through a kubeconfig file: the jar starts,
 *       checks the CRD, wins the leader lease and reconciles. The mock server has no server-side apply, which the
 *       prod profile uses (build-time setting) for every owned object except ConfigMaps and Secrets, so only those
 *       two are asserted here; the SSA path itself is verified only against a real cluster.</li>
 *   <li>Against a real cluster (kind, k3d, any kubeconfig): only with {@code STRETCH_IT_CLUSTER=true} (it applies
 *       the CRD and RBAC, creates and deletes a namespace) and only when the current context answers; otherwise
 *       skipped. It runs the script itself, impersonating the operator's ServiceAccount, so missing RBAC fails it.</li>
 * </ul>
 */
class OperatorJarIT {
    private static final Path ROOT = PodRuntime.repositoryRoot();
    private static final Path JAR = ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar");
    private final List<Process> processes = new ArrayList<>();
    private KubernetesMockServer server;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    void shouldReconcileFromThePackagedJarWithLeaderElection() throws Exception {
        assertThat(JAR).as("mvn package builds it before failsafe runs").exists();
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        // JOSDK checks its lease permissions with a SelfSubjectRulesReview before electing; the mock has no RBAC
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
                        .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                                .withResources("leases").withVerbs("get", "create", "update").build())
                        .endStatus().build())
                .always();
        String ns = "stretch-it";
        Path kubeconfig = Files.createTempFile("stretch-it-kubeconfig", ".yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: mock
                  user: {token: not-checked}
                contexts:
                - name: mock
                  context: {cluster: mock, user: mock, namespace: %s}
                current-context: mock
                """.formatted(server.url("/").replaceAll("/$", ""), ns));

        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
            client.resource(client.getKubernetesSerialization().unmarshal(
                    Files.readString(ROOT.resolve("crds/streamjobs.stretch.dev-v1.yml")), CustomResourceDefinition.class))
                    .create();

            Path log = Path.of("target", "operator-jar-it.log").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dkubernetes.namespace=" + ns,
                    "-Dquarkus.operator-sdk.controllers.streamjob.namespaces=" + ns,
                    "-Dquarkus.http.port=0",
                    "-jar", JAR.toString());
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            pb.environment().remove("QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMJOB_NAMESPACES");
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            processes.add(pb.start());

            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
                Lease lease = client.leases().inNamespace(ns).withName("stretch-operator-lease").get();
                assertThat(lease.getSpec().getHolderIdentity()).as("see " + log).isNotBlank();
            });
            StreamJob job = TestJobs.streamJob(TestJobs.CLICKS, "clicks", ns);
            client.resource(job).create();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                assertThat(client.configMaps().inNamespace(ns).withName("clicks-job").get().getData())
                        .containsKey("job.yaml");
                assertThat(client.secrets().inNamespace(ns).withName("clicks-control").get().getData())
                        .containsKey("token");
            });
            String out = Files.readString(log);
            assertThat(out).contains("Profile prod activated").contains("leading: reconciling StreamJobs")
                    .doesNotContain("Build time property cannot be changed");
        }
    }

    @Test
    void shouldRunAgainstARealClusterWithTheScript() throws Exception {
        assumeTrue("true".equals(System.getenv("STRETCH_IT_CLUSTER")),
                "set STRETCH_IT_CLUSTER=true to run against the cluster of the current kubeconfig context"
                        + " (it applies the CRD and RBAC and creates a namespace)");
        assumeTrue(clusterReachable(), "STRETCH_IT_CLUSTER=true but no cluster answers for the current context");
        String ns = "stretch-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path script = ROOT.resolve("operator/scripts/run-against-cluster.sh");
        Path log = Path.of("target", "run-against-cluster-it.log").toAbsolutePath();
        Process operator = new ProcessBuilder("bash", script.toString(), "--no-build", "-n", ns)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(operator);
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().untilAsserted(() -> {
                assertThat(operator.isAlive()).as("operator (see " + log + ")").isTrue();
                Lease lease = client.leases().inNamespace(ns).withName("stretch-operator-lease").get();
                assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
            });
            StreamJob job = TestJobs.streamJob(TestJobs.CLICKS, "clicks", ns);
            job.getSpec().setReplicas(1);
            client.resource(job).create();
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().untilAsserted(() -> {
                assertThat(client.configMaps().inNamespace(ns).withName("clicks-job").get()).isNotNull();
                assertThat(client.secrets().inNamespace(ns).withName("clicks-control").get()).isNotNull();
                assertThat(client.apps().statefulSets().inNamespace(ns).withName("clicks").get()).isNotNull();
                StreamJob j = client.resources(StreamJob.class).inNamespace(ns).withName("clicks").get();
                assertThat(j.getStatus().getObservedGeneration()).isEqualTo(j.getMetadata().getGeneration());
                assertThat(j.getStatus().getSelector()).isEqualTo("stretch.dev/job=clicks");
            });
            client.resources(StreamJob.class).inNamespace(ns).withName("clicks").delete();
            // a real cluster has a garbage collector
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                    assertThat(client.apps().statefulSets().inNamespace(ns).withName("clicks").get()).isNull());
        } finally {
            operator.descendants().forEach(ProcessHandle::destroy);
            operator.destroy();
            operator.waitFor(20, TimeUnit.SECONDS);
            run("bash", script.toString(), "--delete", "-n", ns);
            run("kubectl", "delete", "namespace", ns, "--wait=false", "--ignore-not-found");
        }
    }

    private static boolean clusterReachable() {
        try {
            return run("kubectl", "version", "--request-timeout=5s") == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
