package dev.stretch.operator.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.operator.kubelet.PodRuntime;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's quickstart ({@code scripts/quickstart.sh}) against a real cluster: only when one is reachable from
 * the current kubeconfig and kubectl, helm and kind or k3d are installed (never on the machines CI runs on, which
 * have no cluster); otherwise skipped with the reason. {@code STRETCH_QUICKSTART=kind:NAME} or {@code k3d:NAME}
 * chooses the cluster to load the images into (default kind:kind).
 */
class QuickstartIT {
    @Test
    void theQuickstartRunsAnExampleJobOnARealCluster() throws Exception {
        for (String tool : new String[] {"kubectl", "helm"}) {
            Assumptions.assumeTrue(ok("command -v " + tool), tool + " is not installed: no cluster to run the quickstart on");
        }
        Assumptions.assumeTrue(ok("kubectl version --request-timeout=5s"),
                "no Kubernetes cluster is reachable from the current kubeconfig: the quickstart was not run");
        String target = System.getenv().getOrDefault("STRETCH_QUICKSTART", "kind:kind");
        String[] t = target.split(":", 2);
        Assumptions.assumeTrue(ok("command -v " + t[0]), t[0] + " is not installed");
        Process p = new ProcessBuilder("bash", PodRuntime.repositoryRoot().resolve("scripts/quickstart.sh").toString(),
                "--" + t[0], t[1], "--namespace", "stretch-quickstart").redirectErrorStream(true).inheritIO().start();
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("scripts/quickstart.sh").isZero();
        Process clean = new ProcessBuilder("bash", PodRuntime.repositoryRoot().resolve("scripts/quickstart.sh").toString(),
                "--namespace", "stretch-quickstart", "--no-build", "--delete").inheritIO().start();
        clean.waitFor(5, TimeUnit.MINUTES);
    }

    private static boolean ok(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
