package dev.stretch.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.api.JobExecution;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.RuntimeServices;
import dev.stretch.runtime.pipeline.ConnectorFactory;
import dev.stretch.runtime.topology.PodTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job from an input topic to an output topic against a real broker, in this JVM: its results, read back
 * by a {@code read_committed} consumer, are those of the single-threaded engine on the same records read
 * from a file; undecodable records go to the dead-letter topic with the reason in headers, and are counted.
 */
class KafkaPipelineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final long BASE = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static List<KafkaTopics.Event> events(int n, int users) {
        List<KafkaTopics.Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new KafkaTopics.Event("u" + (i * 7 % users), i % 97, BASE + i * 5L));
        }
        return out;
    }

    static String window(String sourceOrPath, String sink) {
        return window(broker == null ? "unused:9092" : broker.bootstrapServers(), sourceOrPath, sink);
    }

    static String window(String bootstrap, String sourceOrPath, String sink) {
        return """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: totals}
                spec:
                  parallelism: {threads: {min: 1, max: 2, initial: 1}}
                  kafka: {bootstrapServers: "%s"}
                  pipeline:
                    - name: events
                      source: %s
                    - {name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: sum, field: amount, as: total}}}
                    - {name: out, sink: %s}
                """.formatted(bootstrap, sourceOrPath, sink);
    }

    List<Map<String, Object>> reference(List<KafkaTopics.Event> events) throws Exception {
        return reference(dir, events);
    }

    /** The results of the single-threaded engine on {@code events} read from a file. */
    static List<Map<String, Object>> reference(Path dir, List<KafkaTopics.Event> events) throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), events.stream().map(KafkaTopics.Event::json).toList());
        Path out = dir.resolve("reference.jsonl");
        StreamJobManifest m = StreamJobReader.read(window("unused:9092",
                "{file: {path: \"" + in + "\"}, watermark: {timestampField: ts}}",
                "{file: {path: \"" + out + "\"}}")).manifest();
        try (JobProcess p = JobProcess.start(m, RuntimeServices.connectors(0), 1, "reference", 1000)) {
            assertThat(p.execution().awaitTermination(PATIENCE)).isTrue();
            assertThat(p.execution().status()).isEqualTo(JobExecution.Status.FINISHED);
        }
        return parse(Files.readAllLines(out));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(List<String> json) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String j : json) {
            try {
                out.add(JSON.readValue(j, Map.class));
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + j, e);
            }
        }
        return out;
    }

    @Test
    void shouldWriteTheSingleThreadedEnginesResultsExactlyOnceAndDeadLetterBadRecords() throws Exception {
        broker.createTopic("clicks", 4);
        broker.createTopic("totals", 2);
        broker.createTopic("clicks-bad", 1);
        List<KafkaTopics.Event> events = events(4_000, 30);
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            for (int i = 0; i < events.size(); i++) {
                KafkaTopics.send(p, "clicks", events.get(i));
                if (i == 1_000) {
                    p.send(new ProducerRecord<>("clicks", null, events.get(i).ts(), "u1", "{not json"));
                }
                if (i == 2_000) {
                    p.send(new ProducerRecord<>("clicks", null, events.get(i).ts(), "u2", "{\"user\":\"u2\",\"amount\":1}"));
                }
            }
            KafkaTopics.closeAllWindows(p, "clicks", 4, BASE + 3_600_000);
        }
        List<Map<String, Object>> expected = reference(events);
        assertThat(expected).hasSizeGreaterThan(100);

        StreamJobManifest m = StreamJobReader.read(window("""
                {kafka: {topics: [clicks], key: {format: raw, field: user}, value: {format: json},
                         deadLetterTopic: clicks-bad}, watermark: {timestampField: ts}}""",
                "{kafka: {topic: totals, key: {format: raw, field: user}, commitInterval: 200ms}}")).manifest();
        PodTopology pod = PodTopology.single("totals-0");
        ConnectorFactory connectors = RuntimeServices.connectors(m, 0, pod);
        try (JobProcess p = JobProcess.start(m, connectors, 1, pod, 1000);
                AutoCloseable kafka = RuntimeServices.wireKafka(connectors, p, pod)) {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                    KafkaTopics.readCommitted(broker, "totals")).as("status: %s", p.execution().metrics().operators()
                    .stream().map(o -> o.name() + " in=" + o.tuplesIn() + " out=" + o.tuplesOut() + " wm=" + o.watermark())
                    .toList()).hasSizeGreaterThanOrEqualTo(expected.size()));
            // two more commits: nothing more may come
            KafkaSink.Committer sink = ((KafkaConnectors) connectors).sinks().get("out").committer();
            long commits = sink.commits();
            await().atMost(PATIENCE).until(() -> sink.commits() >= commits + 2);
            List<Map<String, Object>> got = parse(KafkaTopics.readCommitted(broker, "totals"));
            assertThat(got).as("every result once, as the single-threaded engine computes it")
                    .containsExactlyInAnyOrderElementsOf(expected);

            List<ConsumerRecord<String, String>> bad = KafkaTopics.records(broker, "clicks-bad");
            assertThat(bad).hasSize(2);
            assertThat(bad).extracting(r -> KafkaTopics.header(r, "stretch.reason")).anySatisfy(
                    r -> assertThat(r).contains("not valid JSON")).anySatisfy(r -> assertThat(r).contains("'ts'"));
            assertThat(bad).extracting(r -> KafkaTopics.header(r, "stretch.topic")).containsOnly("clicks");
            OperatorMetrics source = p.execution().metrics().operators().stream()
                    .filter(o -> o.name().equals("events")).findFirst().orElseThrow();
            assertThat(source.badRecords()).isEqualTo(2);
            Map<String, Long> keys = got.stream().collect(Collectors.groupingBy(r -> (String) r.get("user"),
                    Collectors.counting()));
            assertThat(keys).hasSize(30);
        }
    }

    /**
     * A partition move restarts the engine inside the process; the threads chosen for its operators (here by a
     * reconfiguration, as {@code PUT /v1/parallelism} or an autoscaler does) stay, and reconfiguration callbacks
     * (the HTTP server's histogram) stay registered on the new engine.
     */
    @Test
    void shouldKeepTheThreadsAndTheReconfigurationCallbacksWhenAMoveRestartsTheEngine() throws Exception {
        broker.createTopic("views", 2);
        broker.createTopic("view-totals", 1);
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            for (KafkaTopics.Event e : events(200, 5)) {
                KafkaTopics.send(p, "views", e);
            }
        }
        StreamJobManifest m = StreamJobReader.read(window("""
                {kafka: {topics: [views], key: {format: raw, field: user}}, watermark: {timestampField: ts}}""",
                "{kafka: {topic: view-totals, key: {format: raw, field: user}, commitInterval: 200ms}}")).manifest();
        PodTopology pod = PodTopology.single("totals-0");
        ConnectorFactory connectors = RuntimeServices.connectors(m, 0, pod);
        try (JobProcess p = JobProcess.start(m, connectors, 1, pod, 1000);
                AutoCloseable kafka = RuntimeServices.wireKafka(connectors, p, pod)) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            p.addReconfigurationListener(r -> seen.add(r.operator() + "->" + r.to()));
            p.execution().reconfigure("per-user", 2);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(seen).containsExactly("per-user->2"));

            KafkaJob job = ((KafkaConnectors) connectors).job().orElseThrow();
            job.requestReset(); // what a failed commit or a rebalance does: re-read the partitions, engine restarted
            await().atMost(PATIENCE).until(() -> p.engineRestarts() >= 1);
            assertThat(p.execution().instances("per-user")).as("threads after the restart").isEqualTo(2);
            p.execution().reconfigure("per-user", 1);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(seen).as("callbacks after the restart")
                    .containsExactly("per-user->2", "per-user->1"));
        }
    }
}
