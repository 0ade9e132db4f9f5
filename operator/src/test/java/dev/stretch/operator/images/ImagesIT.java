package dev.stretch.operator.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.model.Release;
import dev.stretch.operator.kubelet.PodRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds both images the way a release would — the root {@code Dockerfile} through {@code scripts/build-images.sh},
 * with Debian's podman, FROM a Java base assembled from Debian's packages ({@code scripts/jre-base.sh}: no registry
 * serves base images here, and podman cannot run {@code RUN} steps here, which the Dockerfile does not need) — saves
 * them as OCI archives under {@code operator/target/images/}, and inspects what a cluster would run: the names and
 * tags the chart uses, a non-root numeric user, the entrypoint, the exposed port, every shared library the JVM
 * loads present, and no shell, compiler, build tool or package manager in the image.
 *
 * <p>podman is installed with apt-get when it is missing and this runs as root (as CI does); without podman and
 * without root the test is skipped and says why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesIT {
    static final Path ROOT = PodRuntime.repositoryRoot();
    static final Path OUT = ROOT.resolve("operator/target/images");
    static final List<String> FORBIDDEN = List.of("bin/sh", "bin/bash", "bin/dash", "usr/bin/sh", "usr/bin/bash",
            "usr/bin/apt", "usr/bin/apt-get", "usr/bin/dpkg", "usr/bin/gcc", "usr/bin/cc", "usr/bin/make", "usr/bin/mvn",
            "usr/bin/perl", "usr/bin/python3", "usr/bin/curl", "usr/bin/wget");
    static final ObjectMapper JSON = new ObjectMapper();

    String runtimeImage;
    String operatorImage;

    @BeforeAll
    void build() throws Exception {
        String podman = podman();
        Assumptions.assumeTrue(podman != null, "podman is not installed, and installing it needs root (apt-get install"
                + " podman); the images were not built");
        assertThat(ROOT.resolve("runtime-image/target/stretch.jar")).as("built by the reactor before the operator").exists();
        assertThat(ROOT.resolve("operator/target/quarkus-app/quarkus-run.jar")).exists();
        List<String> printed = run(List.of("bash", ROOT.resolve("scripts/build-images.sh").toString(), "--engine",
                "podman", "--local-base", "--no-maven", "--save", OUT.toString()), 900);
        runtimeImage = printed.get(printed.size() - 2);
        operatorImage = printed.get(printed.size() - 1);
    }

    @Test
    void namesAndTagsAreTheChartsAndTheOperatorsDefault() {
        assertThat(runtimeImage).isEqualTo(Release.runtimeImage()).isEqualTo(dev.stretch.model.Defaults.IMAGE);
        assertThat(operatorImage).isEqualTo(Release.operatorImage());
        assertThat(OUT.resolve("stretch-runtime.oci.tar")).isNotEmptyFile();
        assertThat(OUT.resolve("stretch-operator.oci.tar")).isNotEmptyFile();
    }

    @Test
    void theRuntimeImageRunsStretchPodAsANonRootUser() throws Exception {
        JsonNode config = inspect(runtimeImage);
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        assertThat(strings(config.path("Entrypoint"))).startsWith("/usr/bin/java").endsWith("-jar",
                "/opt/stretch/stretch.jar");
        assertThat(strings(config.path("Cmd"))).containsExactly("pod");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void theOperatorImageRunsTheOperatorAsANonRootUser() throws Exception {
        JsonNode config = inspect(operatorImage);
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
        assertThat(strings(config.path("Entrypoint"))).startsWith("/usr/bin/java")
                .endsWith("-jar", "/opt/stretch-operator/quarkus-run.jar");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void theImagesHoldAJreAndTheApplicationAndNothingElse() throws Exception {
        for (String archive : List.of("stretch-runtime.oci.tar", "stretch-operator.oci.tar")) {
            Path dir = Files.createTempDirectory(OUT, "rootfs-");
            // the layers of the OCI archive (index.json -> manifest -> layers), unpacked in order into one root
            Path a = OUT.resolve(archive);
            JsonNode index = JSON.readTree(String.join("\n", run(List.of("tar", "-xOf", a.toString(), "index.json"), 60)));
            String manifest = index.path("manifests").get(0).path("digest").asText().substring("sha256:".length());
            JsonNode layers = JSON.readTree(String.join("\n", run(List.of("tar", "-xOf", a.toString(),
                    "blobs/sha256/" + manifest), 60))).path("layers");
            assertThat(layers.size()).isPositive();
            for (JsonNode layer : layers) {
                String blob = "blobs/sha256/" + layer.path("digest").asText().substring("sha256:".length());
                String unpack = layer.path("mediaType").asText().endsWith("gzip") ? "tar -xz" : "tar -x";
                run(List.of("bash", "-c", "set -o pipefail; tar -xOf '" + a + "' " + blob + " | " + unpack + " -C '" + dir
                        + "' --no-same-owner"), 300);
            }
            for (String f : FORBIDDEN) {
                assertThat(Files.exists(dir.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .as(archive + " must not contain /" + f).isFalse();
            }
            try (Stream<Path> all = Files.walk(dir)) {
                assertThat(all.map(p -> dir.relativize(p).toString()).filter(p -> p.endsWith("/javac")
                        || p.endsWith("/jar") || p.contains("/include/"))).as(archive + ": no JDK tools").isEmpty();
            }
            assertThat(Files.readString(dir.resolve("etc/passwd"))).contains(":65532:65532:");
            assertThat(dir.resolve(archive.contains("runtime") ? "opt/stretch/stretch.jar"
                    : "opt/stretch-operator/quarkus-run.jar")).exists();
            librariesResolve(dir);
        }
    }

    /** Every library the JVM's core binaries need is in the image (what the dynamic loader would look for). */
    private void librariesResolve(Path rootfs) throws Exception {
        if (which("readelf") == null) {
            System.out.println("readelf (binutils) is not installed: the JVM's shared libraries were not checked");
            return;
        }
        Path jvm;
        try (Stream<Path> s = Files.list(rootfs.resolve("usr/lib/jvm"))) {
            jvm = s.filter(p -> p.getFileName().toString().startsWith("java-17")).findFirst().orElseThrow();
        }
        Set<String> available = new HashSet<>();
        for (String libDir : List.of("lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64")) {
            Path d = rootfs.resolve(libDir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.forEach(p -> available.add(p.getFileName().toString()));
                }
            }
        }
        try (Stream<Path> s = Files.walk(jvm.resolve("lib"))) {
            s.forEach(p -> available.add(p.getFileName().toString()));
        }
        List<String> missing = new ArrayList<>();
        for (String binary : List.of("bin/java", "lib/server/libjvm.so", "lib/libjava.so", "lib/libzip.so",
                "lib/libnio.so", "lib/libnet.so", "lib/libjimage.so", "lib/libverify.so", "lib/libmanagement.so")) {
            for (String line : run(List.of("readelf", "-d", jvm.resolve(binary).toString()), 30)) {
                int i = line.indexOf("Shared library: [");
                if (i >= 0) {
                    String lib = line.substring(i + 17, line.indexOf(']', i));
                    if (!available.contains(lib)) {
                        missing.add(binary + " needs " + lib);
                    }
                }
            }
        }
        assertThat(missing).as("shared libraries missing from the image").isEmpty();
        assertThat(rootfs.resolve("usr/bin/java")).as("the entrypoint's java").exists();
    }

    private JsonNode inspect(String image) throws Exception {
        String json = String.join("\n", run(List.of("podman", "image", "inspect", image), 60));
        return JSON.readTree(json).get(0).path("Config");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** podman's path: on the PATH, or installed now with apt-get when running as root; null when neither. */
    private static String podman() throws Exception {
        String found = which("podman");
        if (found != null) {
            return found;
        }
        boolean root = run(List.of("id", "-u"), 10).get(0).trim().equals("0");
        List<String> sudo = root ? List.of() : List.of("sudo", "-n");
        if (!root && new ProcessBuilder("sudo", "-n", "true").start().waitFor() != 0) {
            return null;
        }
        System.out.println("installing podman (apt-get install podman)");
        List<String> update = new ArrayList<>(sudo);
        update.addAll(List.of("apt-get", "update", "-qq"));
        run(update, 300);
        List<String> install = new ArrayList<>(sudo);
        install.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
                "--no-install-recommends", "podman"));
        run(install, 600);
        return which("podman");
    }

    private static String which(String program) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "command -v " + program).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 && !out.isEmpty() ? out : null;
    }

    private static List<String> run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s:\n" + out);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " failed (" + p.exitValue() + "):\n" + out);
        }
        return out.lines().toList();
    }
}
