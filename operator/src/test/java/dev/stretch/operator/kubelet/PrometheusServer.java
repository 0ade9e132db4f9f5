package dev.stretch.operator.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, fetched by {@code scripts/debian-tool.sh}) run as a
 * plain process on loopback with an ephemeral port and its own data directory, scraping the test pods' /metrics
 * every {@code scrapeInterval}. Targets come from a file ({@code file_sd_configs}) that Prometheus watches, so
 * {@link #targets} can change while it runs.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;
    private final Path targets;

    private PrometheusServer(Process process, Path dir, int port, Path targets) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.targets = targets;
    }

    public static PrometheusServer start(Duration scrapeInterval) throws IOException, InterruptedException {
        Path script = Path.of("..", "scripts", "debian-tool.sh").toAbsolutePath().normalize();
        Process which = new ProcessBuilder("bash", script.toString(), "prometheus", "prometheus")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String binary = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (which.waitFor() != 0 || binary.isEmpty()) {
            throw new IllegalStateException("no prometheus binary (scripts/debian-tool.sh prometheus prometheus)");
        }
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "prometheus-");
        Path targets = dir.resolve("targets.json");
        Files.writeString(targets, "[]");
        String s = scrapeInterval.toMillis() + "ms";
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: %s
                  evaluation_interval: %s
                scrape_configs:
                  - job_name: stretch-pods
                    scrape_interval: %s
                    scrape_timeout: %s
                    file_sd_configs:
                      - files: [%s]
                        refresh_interval: 1s
                """.formatted(s, s, s, s, targets));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process p = new ProcessBuilder(binary, "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(p, dir, port, targets);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready after 60 s; see " + dir.resolve("prometheus.log"));
    }

    /** The base URL of its HTTP API. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Replaces the scraped targets ({@code host:port}); Prometheus picks the file up within a second or so. */
    public void targets(Collection<String> hostPorts) {
        String list = hostPorts.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
        try {
            Path tmp = dir.resolve("targets.json.tmp");
            Files.writeString(tmp, "[{\"targets\": [" + list + "]}]");
            Files.move(tmp, targets, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
