package dev.stretch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code stretch pod} processes dividing one job (contract C1): the pod count comes from a topology
 * file that changes while they run (1 → 3 → 1 pods, as the operator's ConfigMap would), each pod re-reads it
 * without restarting, and the records all pods write together are exactly those one process writes alone.
 */
class PodsShareAJobTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final long START = 1_700_000_000_000L;
    private static final int RATE = 1_000;
    private static final int LIMIT = 40_000; // 40 s of event time at the rate
    /** How far ahead of pod 0's event time a change is agreed: ample for a 0.5 s poll on a loaded machine. */
    private static final long LEAD_MILLIS = 6_000;
    private static final Pattern HTTP = Pattern.compile("http on [^:]+:(\\d+)");

    @TempDir
    Path dir;

    private final List<StretchProcess> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stopPods() {
        processes.forEach(StretchProcess::close);
    }

    private static String job(boolean paced) {
        return """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: shared}
                spec:
                  pipeline:
                    - name: events
                      source:
                        parallelism: 6
                        generator: {seed: 11, keys: 40, valueMax: 1000, rate: {profile: constant, rate: %d},
                                    limit: %d, startTime: %d, paced: %s}
                    - {name: tag, map: {set: {big: "value > 500"}}}
                    - {name: out, sink: {file: {path: out.jsonl}}}
                """.formatted(RATE, LIMIT, START, paced);
    }

    @Test
    void shouldWriteTogetherExactlyWhatOnePodWritesWhileThePodCountGoesFromOneToThreeToOne() throws Exception {
        Path reference = Files.createDirectories(dir.resolve("reference"));
        Files.writeString(reference.resolve("job.yaml"), job(false));
        try (StretchProcess alone = StretchProcess.start(reference, "run", "--plain", "job.yaml")) {
            assertThat(alone.waitFor(PATIENCE)).as(alone.stderr()).isZero();
        }
        List<String> expected = Files.readAllLines(reference.resolve("out.jsonl"));
        assertThat(expected).hasSize(LIMIT);

        Path job = Files.writeString(dir.resolve("job.yaml"), job(true));
        Path topology = Files.createDirectories(dir.resolve("topology"));
        Path pods = topology.resolve("pods");
        replace(pods, "1");

        int port0 = startPod(0, job, pods);
        await().atMost(PATIENCE).until(() -> lines(0) > 0);
        assertThat(status(port0).get("pod").get("count").asInt()).isEqualTo(1);

        // 1 -> 3 pods, effective a few seconds of event time ahead of pod 0 (a paced generator cannot be ahead
        // of the wall-clock time since its job started)
        long t1 = START + uptimeMillis(port0) + LEAD_MILLIS;
        replace(topology.resolve("handover-at"), Long.toString(t1));
        replace(pods, "3");
        int port1 = startPod(1, job, pods);
        int port2 = startPod(2, job, pods);
        List<Integer> ports = List.of(port0, port1, port2);
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int port : ports) {
                assertThat(status(port).get("pod").get("count").asInt()).isEqualTo(3);
            }
        });
        long pid0 = processes.get(0).pid();

        // 3 -> 1 pod
        long t2 = START + uptimeMillis(port0) + LEAD_MILLIS;
        assertThat(t2).as("the machine is too slow for this test's timing").isLessThan(START + LIMIT * 1000L / RATE);
        replace(topology.resolve("handover-at"), Long.toString(t2));
        replace(pods, "1");
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int port : ports) {
                assertThat(status(port).get("pod").get("count").asInt()).isEqualTo(1);
            }
        });
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int port : ports) {
                assertThat(status(port).get("state").asText()).isEqualTo("FINISHED");
            }
        });
        assertThat(processes.get(0).pid()).as("pod 0 was not restarted").isEqualTo(pid0);
        assertThat(processes).allSatisfy(p -> assertThat(p.isAlive()).isTrue());

        List<String> union = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> mine = Files.readAllLines(dir.resolve("pod-" + i).resolve("out.jsonl"));
            assertThat(mine).as("pod %d wrote its share", i).isNotEmpty().hasSizeLessThan(LIMIT);
            union.addAll(mine);
        }
        assertThat(union).as("nothing lost, nothing written twice").containsExactlyInAnyOrderElementsOf(expected);
        JsonNode s = status(port1);
        assertThat(s.get("pod").get("name").asText()).isEqualTo("shared-1");
        assertThat(s.get("pod").get("ordinal").asInt()).isEqualTo(1);
    }

    private int startPod(int ordinal, Path job, Path countFile) throws IOException {
        Path d = Files.createDirectories(dir.resolve("pod-" + ordinal));
        StretchProcess p = StretchProcess.start(d, java.util.Map.of("POD_NAME", "shared-" + ordinal),
                "pod", "--job", job.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--topology-file", countFile.toString(), "--token-file", d.resolve("no-token").toString());
        processes.add(p);
        Matcher m = HTTP.matcher("");
        await().atMost(PATIENCE).until(() -> !p.isAlive() || m.reset(p.stderr()).find());
        assertThat(p.isAlive()).as(p.stderr()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Upper bound of how far pod 0's paced generator can be: the time since its job started, plus its build. */
    private long uptimeMillis(int port) throws IOException, InterruptedException {
        return (long) (status(port).get("uptimeSeconds").asDouble() * 1000) + 2_000;
    }

    private long lines(int pod) throws IOException {
        Path out = dir.resolve("pod-" + pod).resolve("out.jsonl");
        return Files.exists(out) ? Files.readAllLines(out).size() : 0;
    }

    private JsonNode status(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/status"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** Replaces a file's content in one step, as the kubelet's symlink swap does. */
    private static void replace(Path file, String content) throws IOException {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
