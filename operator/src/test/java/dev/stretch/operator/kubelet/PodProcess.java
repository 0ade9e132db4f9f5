package dev.stretch.operator.kubelet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod's container as a local process: started with the pod's resolved environment, probed on its readiness
 * endpoint, killed with its pod.
 */
final class PodProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    final String podName;
    final String address;
    final int port;
    final String checksum;
    private final Process process;
    private final Path log;

    private PodProcess(String podName, String address, int port, String checksum, Process process, Path log) {
        this.podName = podName;
        this.address = address;
        this.port = port;
        this.checksum = checksum;
        this.process = process;
        this.log = log;
    }

    static PodProcess start(String podName, String address, int port, String checksum, List<String> command,
            Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return new PodProcess(podName, address, port, checksum, pb.start(), log);
    }

    boolean alive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** One readiness probe: GET /readyz answers 200. */
    boolean ready() {
        return get("/readyz") == 200;
    }

    private int get(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + path))
                    .timeout(Duration.ofSeconds(1)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Stops the process the way the kubelet does: SIGTERM, a grace period, then SIGKILL. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
