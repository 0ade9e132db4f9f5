package dev.stretch.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.runtime.cli.StretchProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka examples under {@code k8s-examples/}, run unchanged by {@code stretch run} against a real broker
 * (the environment points them at it, as {@code STRETCH_KAFKA_BOOTSTRAP_SERVERS} does in a cluster): the
 * producer example fills the topic and ends, the totals example turns it into per-key 1-second totals in
 * the output topic, each window once.
 */
class KafkaExamplesTest {
    private static final Duration RUN = Duration.ofSeconds(180);
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
        broker.createTopic("clicks", 6);
        broker.createTopic("click-totals", 3);
        broker.createTopic("clicks-bad", 1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRunTheProducerAndTheTotalsExamplesUnchanged() throws Exception {
        Map<String, String> env = Map.of("STRETCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        Path examples = Path.of("../k8s-examples").toAbsolutePath().normalize();
        try (StretchProcess p = StretchProcess.start(dir, env, "run", "--plain",
                examples.resolve("kafka-clicks.yaml").toString())) {
            assertThat(p.waitFor(RUN)).as(p.stdout() + p.stderr()).isZero();
            assertThat(p.stdout()).contains("job 'kafka-clicks' finished", "60,000 records");
        }
        assertThat(KafkaTopics.readCommitted(broker, "clicks")).hasSize(60_000);

        try (StretchProcess p = StretchProcess.start(dir, env, "run", "--plain", "--duration", "25s",
                examples.resolve("kafka-click-totals.yaml").toString())) {
            assertThat(p.waitFor(RUN)).as(p.stdout() + p.stderr()).isZero();
            assertThat(p.stdout() + p.stderr()).doesNotContain("Exception");
        }
        List<Map<String, Object>> totals = KafkaPipelineTest.parse(KafkaTopics.readCommitted(broker, "click-totals"));
        assertThat(totals).hasSizeGreaterThan(200);
        Set<String> windows = new HashSet<>();
        for (Map<String, Object> t : totals) {
            assertThat(((Number) t.get("window_end")).longValue() - ((Number) t.get("window_start")).longValue())
                    .isEqualTo(1000);
            assertThat(windows.add(t.get("key") + "@" + t.get("window_start"))).as("once: %s", t).isTrue();
            assertThat(t).doesNotContainKey(KafkaJob.ORIGIN);
        }
    }
}
