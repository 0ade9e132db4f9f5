package dev.stretch.runtime.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.RuntimeServices;
import dev.stretch.runtime.http.RuntimeHttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manual {@code PUT /v1/parallelism} while the in-process autoscaler runs holds the operator at the
 * requested count for the stated time (the reply and {@code /v1/status} say until when); the autoscaler
 * keeps deciding but leaves it alone, and takes over again once the hold is over.
 */
class ManualRescalingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The system clock, plus an offset the test moves forward. */
    private static final class MovableClock implements InstantSource {
        final AtomicLong offsetMillis = new AtomicLong();

        @Override
        public Instant instant() {
            return Instant.now().plusMillis(offsetMillis.get());
        }
    }

    @Test
    void shouldHoldAManualCountForTheStatedTimeThenLetTheAutoscalerDecideAgain() throws Exception {
        // a light load: left alone, the autoscaler brings 'counts' back to 1 thread within about 2 s
        StreamJobManifest m = StreamJobReader.read("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: held}
                spec:
                  parallelism: {threads: {min: 1, max: 4, initial: 1}}
                  autoscaling: {mode: Auto, metricWindow: 500ms, stabilization: 500ms, scaleDownDelay: 500ms}
                  pipeline:
                    - {name: src, source: {generator: {keys: 100, rate: {rate: 500}}}}
                    - {name: counts, window: {keyBy: key, size: 100ms, aggregate: {function: count}}}
                    - {name: out, sink: {file: {path: %s}}}
                """.formatted(dir.resolve("out.jsonl"))).manifest();
        Path token = Files.writeString(dir.resolve("token"), "secret\n");
        MovableClock clock = new MovableClock();
        HttpClient client = HttpClient.newHttpClient();
        try (JobProcess p = JobProcess.start(m, RuntimeServices.connectors(System.currentTimeMillis()), null, "test", 100);
                LocalAutoscaler scaler = new LocalAutoscaler(p, m.getSpec().getAutoscaling(), clock, (r, why) -> { });
                RuntimeHttpServer http = RuntimeHttpServer.builder(p).bind(new InetSocketAddress("127.0.0.1", 0))
                        .tokenFile(Optional.of(token)).build()) {
            p.attach(scaler);
            http.start();
            URI base = URI.create("http://127.0.0.1:" + http.port());

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/v1/parallelism"))
                    .header("Authorization", "Bearer secret")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"operator\": \"counts\", \"instances\": 3, \"hold\": \"1m\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode reply = JSON.readTree(r.body());
            JsonNode result = reply.get("results").get(0);
            assertThat(result.get("changed").asBoolean()).isTrue();
            Instant until = Instant.parse(result.get("heldUntil").asText());
            assertThat(until).isBetween(clock.instant().plusSeconds(50), clock.instant().plusSeconds(61));
            assertThat(reply.get("autoscaler").asText()).contains("leaves 'counts' at 3 for 1m");

            // the autoscaler wants fewer threads for this load, and is held back
            long before = scaler.changesHeldBack();
            await().atMost(PATIENCE).until(() -> scaler.changesHeldBack() > before + 2);
            assertThat(p.execution().instances("counts")).isEqualTo(3);
            JsonNode status = JSON.readTree(client.send(HttpRequest.newBuilder(base.resolve("/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode o : status.get("operators")) {
                if (o.get("name").asText().equals("counts")) {
                    assertThat(Instant.parse(o.get("heldUntil").asText())).isEqualTo(until);
                }
            }

            clock.offsetMillis.addAndGet(Duration.ofMinutes(2).toMillis()); // the hold is over
            await().atMost(PATIENCE).until(() -> p.execution().instances("counts") < 3);
        }
    }
}
