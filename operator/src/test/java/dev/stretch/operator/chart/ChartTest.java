package dev.stretch.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.stretch.model.Defaults;
import dev.stretch.model.Release;
import dev.stretch.operator.admission.PodSecurityStandard;
import dev.stretch.operator.kubelet.PodRuntime;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart {@code helm/stretch} as a cluster would take it: {@code helm lint} and {@code helm template}
 * (helm-java, Helm 3 in-process), every rendered object valid against the Kubernetes API schemas
 * ({@link ManifestValidator}), the operator's pod admitted under the restricted Pod Security Standard, RBAC exactly
 * what the operator's code asks for, and images and versions from the one place that names them.
 */
public class ChartTest {
    public static final Path ROOT = PodRuntime.repositoryRoot();
    static final Path CHART = ROOT.resolve("helm/stretch");
    public static final ObjectMapper YAML = new YAMLMapper();
    static final KubernetesSerialization K8S = new KubernetesSerialization();

    public static List<JsonNode> render(UnaryOperator<TemplateCommand> values) throws IOException {
        String out = values.apply(new Helm(CHART).template().withName("stretch").withNamespace("stretch-system")).call();
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(out))) {
            while (it.hasNext()) {
                JsonNode d = (JsonNode) it.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    public static List<JsonNode> kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return kind(docs, kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + docs.stream()
                        .map(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText()).toList()));
    }

    @Test
    void lintsCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.getMessages()).as("helm lint --strict").noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(lint.isFailed()).isFalse();
    }

    @Test
    void everyRenderedObjectIsValidAgainstTheKubernetesSchemas() throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (UnaryOperator<TemplateCommand> variant : List.<UnaryOperator<TemplateCommand>>of(
                t -> t,
                t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"),
                t -> t.set("metrics.podMonitor.enabled", true).set("metrics.serviceMonitor.enabled", true)
                        .set("prometheusRule.enabled", true).set("dashboards.enabled", true))) {
            for (JsonNode d : render(variant)) {
                objects.add(YAML.convertValue(d, Map.class));
            }
        }
        objects.add(YAML.convertValue(YAML.readTree(CHART.resolve("crds/streamjobs.stretch.dev-v1.yml").toFile()), Map.class));
        assertThat(ManifestValidator.problems(objects, ROOT.resolve("operator/target/manifests"))).isEmpty();
    }

    @Test
    void theOperatorPodMeetsTheRestrictedPodSecurityStandardWithResourcesAndProbes() throws IOException {
        Deployment d = K8S.convertValue(named(render(t -> t), "Deployment", "stretch-operator"), Deployment.class);
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(PodSecurityStandard.violations(pod, d.getSpec().getTemplate().getMetadata().getAnnotations()))
                .isEmpty();
        var c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("memory");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void imagesAndVersionsComeFromOnePlace() throws IOException {
        JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(Release.version()).isEqualTo(chart.path("appVersion").asText());
        assertThat(chart.path("version").asText()).as("chart and app version move together").isEqualTo(Release.version());
        JsonNode deployment = named(render(t -> t), "Deployment", "stretch-operator");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("image").asText()).isEqualTo(Release.operatorImage());
        assertThat(env(container, "STRETCH_OPERATOR_RUNTIME_IMAGE")).isEqualTo(Release.runtimeImage())
                .isEqualTo(Defaults.IMAGE);
        assertThat(Release.runtimeImage()).endsWith(":" + Release.version());
        // a tag set in the values reaches both places
        JsonNode pinned = named(render(t -> t.set("runtimeImage.tag", "9.9.9").set("image.tag", "9.9.9")), "Deployment",
                "stretch-operator").at("/spec/template/spec/containers/0");
        assertThat(pinned.path("image").asText()).endsWith(":9.9.9");
        assertThat(env(pinned, "STRETCH_OPERATOR_RUNTIME_IMAGE")).endsWith(":9.9.9");
        // the build script reads the same names
        assertThat(Files.readString(ROOT.resolve("scripts/build-images.sh"))).contains("helm/stretch/values.yaml")
                .contains("runtimeImage.repository").contains("appVersion");
    }

    @Test
    void theChartInstallsTheCommittedCrd() throws IOException {
        assertThat(Files.readString(CHART.resolve("crds/streamjobs.stretch.dev-v1.yml")))
                .as("helm/stretch/crds/ is crds/streamjobs.stretch.dev-v1.yml; refresh with -Dstretch.crd.update=true")
                .isEqualTo(Files.readString(ROOT.resolve("crds/streamjobs.stretch.dev-v1.yml")));
    }

    @Test
    void watchesAllNamespacesByDefaultAndOnlyTheConfiguredOnesOtherwise() throws IOException {
        List<JsonNode> all = render(t -> t);
        assertThat(env(named(all, "Deployment", "stretch-operator").at("/spec/template/spec/containers/0"),
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMJOB_NAMESPACES")).isEqualTo("JOSDK_ALL_NAMESPACES");
        assertThat(named(all, "ClusterRoleBinding", "stretch-operator-jobs").at("/roleRef/name").asText())
                .isEqualTo("stretch-operator-jobs");
        assertThat(kind(all, "RoleBinding")).extracting(r -> r.at("/metadata/name").asText())
                .containsExactly("stretch-operator-leader-election");

        List<JsonNode> some = render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"));
        assertThat(env(named(some, "Deployment", "stretch-operator").at("/spec/template/spec/containers/0"),
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_STREAMJOB_NAMESPACES")).isEqualTo("team-a,team-b");
        assertThat(kind(some, "ClusterRoleBinding")).extracting(r -> r.at("/metadata/name").asText())
                .containsExactly("stretch-operator-crds");
        assertThat(kind(some, "RoleBinding")).extracting(r -> r.at("/metadata/namespace").asText() + "/"
                + r.at("/roleRef/name").asText())
                .containsExactlyInAnyOrder("team-a/stretch-operator-jobs", "team-b/stretch-operator-jobs",
                        "stretch-system/stretch-operator-leader-election");
    }

    @Test
    void monitoringObjectsAreEachGatedByAValue() throws IOException {
        List<JsonNode> off = render(t -> t);
        for (String k : List.of("PodMonitor", "ServiceMonitor", "PrometheusRule")) {
            assertThat(kind(off, k)).as(k + " off by default").isEmpty();
        }
        assertThat(kind(off, "ConfigMap")).isEmpty();
        List<JsonNode> on = render(t -> t.set("metrics.podMonitor.enabled", true).set("prometheusRule.enabled", true)
                .set("dashboards.enabled", true).set("metrics.serviceMonitor.enabled", true));
        assertThat(kind(on, "PodMonitor")).hasSize(1);
        assertThat(kind(on, "ServiceMonitor")).hasSize(1);
        assertThat(kind(on, "PrometheusRule")).hasSize(1);
        List<JsonNode> dashboards = kind(on, "ConfigMap");
        assertThat(dashboards).hasSize(2).allSatisfy(cm -> {
            assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
            JsonNode json = new ObjectMapper().readTree(cm.path("data").elements().next().asText());
            assertThat(json.path("panels").size()).isPositive();
        });
        assertThat(dashboards).extracting(cm -> cm.path("data").fieldNames().next())
                .containsExactlyInAnyOrder("stretch-job-overview.json", "stretch-operator.json");
    }

    @Test
    void valuesAreCheckedByTheSchema() {
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 0))).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render(t -> t.set("operator.statusRefresh", "soon"))).hasMessageContaining("statusRefresh");
        assertThatThrownBy(() -> render(t -> t.set("watchNamespce[0]", "a"))).hasMessageContaining("watchNamespce");
    }

    public static List<String> triples(JsonNode role) {
        List<String> out = new ArrayList<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode g : rule.path("apiGroups")) {
                for (JsonNode r : rule.path("resources")) {
                    for (JsonNode v : rule.path("verbs")) {
                        out.add(g.asText() + "/" + r.asText() + " " + v.asText());
                    }
                }
            }
        }
        return out;
    }

    static String env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + name);
    }
}
