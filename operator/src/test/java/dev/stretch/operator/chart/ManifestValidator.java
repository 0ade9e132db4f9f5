package dev.stretch.operator.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Validates rendered Kubernetes objects against the API's schemas with a real validator: the npm package
 * {@code kubernetes-models} (generated from the Kubernetes OpenAPI specification; prometheus-operator's CRDs for
 * {@code monitoring.coreos.com}), run by Node.js. The packages are installed once with {@code npm install} into
 * {@code ~/.cache/stretch-tools/kubernetes-models-<version>} (override: {@code STRETCH_TOOLS_DIR}).
 */
public final class ManifestValidator {
    static final String KUBERNETES_MODELS = "kubernetes-models@5.1.0";
    static final String PROMETHEUS_OPERATOR_MODELS = "@kubernetes-models/prometheus-operator@6.0.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestValidator() {
    }

    /** One line per invalid object ({@code Kind/name: problem}); empty when every object is valid. */
    public static List<String> problems(List<Map<String, Object>> objects, Path workDir) {
        try {
            Path dir = install();
            Files.createDirectories(workDir);
            Path input = workDir.resolve("objects-" + System.nanoTime() + ".json");
            JSON.writeValue(input.toFile(), objects);
            Path script = dir.resolve("validate.mjs");
            try (InputStream in = ManifestValidator.class.getResourceAsStream("/manifests/validate.mjs")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process p = new ProcessBuilder("node", script.toString(), input.toString()).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the manifest validator did not finish in 2 minutes");
            }
            List<String> lines = out.lines().toList();
            if (p.exitValue() != 0 && lines.stream().noneMatch(l -> l.contains(": "))) {
                throw new IllegalStateException("the manifest validator failed: " + out);
            }
            return lines.subList(0, Math.max(0, lines.size() - 1)).stream().filter(l -> l.contains(": ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The directory with the npm packages, installed on first use (one installer at a time). */
    static synchronized Path install() throws IOException, InterruptedException {
        String base = System.getenv().getOrDefault("STRETCH_TOOLS_DIR",
                Path.of(System.getProperty("user.home"), ".cache", "stretch-tools").toString());
        Path dir = Path.of(base, KUBERNETES_MODELS.replace('@', '-'));
        Path done = dir.resolve(".installed");
        if (Files.exists(done)) {
            return dir;
        }
        Files.createDirectories(dir);
        try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (!Files.exists(done)) {
                Files.writeString(dir.resolve("package.json"), "{\"name\": \"stretch-manifest-validator\", \"private\": true,"
                        + " \"type\": \"module\"}\n");
                Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                        KUBERNETES_MODELS, PROMETHEUS_OPERATOR_MODELS).directory(dir.toFile())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("npm install " + KUBERNETES_MODELS + " failed: " + out);
                }
                Files.writeString(done, KUBERNETES_MODELS + "\n");
            }
        }
        return dir;
    }
}
