package dev.stretch.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.api.JobExecution;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.RuntimeServices;
import dev.stretch.runtime.cli.StretchProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's repartition test, with real {@code stretch pod} processes and a real broker: the input topic is keyed
 * by {@code user}, the window groups by {@code shop}. Three pods (one of them killed with SIGKILL and started
 * again while the input flows) must write, as a {@code read_committed} reader sees it, exactly the results of the
 * single-threaded engine on the same records, and so must one pod alone: every pod reads some input partitions,
 * so without the repartition topic each pod would count a part of every shop.
 */
class KafkaRepartitionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final long BASE = 1_700_000_000_000L;
    private static final int PARTITIONS = 6;
    private static final int EVENTS = 24_000;
    private static KafkaBroker broker;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final Map<String, StretchProcess> pods = new HashMap<>();

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

    @AfterEach
    void stopPods() {
        pods.values().forEach(StretchProcess::close);
        pods.forEach((n, p) -> System.out.println("---- pod " + n + " stderr:\n" + p.stderr()));
    }

    /** One input record: key user; JSON value {user, shop, amount, ts}; timestamps up to 150 ms out of order. */
    record Sale(String user, String shop, long amount, long ts) {
        String json() {
            return "{\"user\":\"" + user + "\",\"shop\":\"" + shop + "\",\"amount\":" + amount + ",\"ts\":" + ts + "}";
        }
    }

    static List<Sale> sales(int n) {
        List<Sale> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Sale("u" + (i * 7 % 40), "s" + (i * 13 % 11), i % 97, BASE + i * 5L - (i % 3 == 0 ? 150 : 0)));
        }
        return out;
    }

    static String job(String name, String source, String sink) {
        return """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: %s}
                spec:
                  parallelism: {threads: {min: 1, max: 2, initial: 2}}
                  kafka:
                    bootstrapServers: "%s"
                    properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "1000"}
                  pipeline:
                    - name: sales
                      source: %s
                    - {name: big, filter: {expression: "amount > 3"}}
                    - {name: per-shop, window: {keyBy: shop, size: 1s, aggregate: {function: sum, field: amount, as: total}}}
                    - {name: out, sink: %s}
                """.formatted(name, broker.bootstrapServers(), source, sink);
    }

    private static String kafkaJob(String name, String out) {
        return job(name, """
                {kafka: {topics: [sales], key: {format: raw, field: user}, value: {format: json}},
                         watermark: {timestampField: ts, maxOutOfOrderness: 200ms}}""",
                "{kafka: {topic: " + out + ", key: {format: raw, field: shop}, commitInterval: 300ms}}");
    }

    /** The single-threaded engine's results on the same records read from a file. */
    private List<Map<String, Object>> reference(List<Sale> sales) throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), sales.stream().map(Sale::json).toList());
        Path out = dir.resolve("reference.jsonl");
        StreamJobManifest m = StreamJobReader.read(job("reference",
                "{file: {path: \"" + in + "\"}, watermark: {timestampField: ts, maxOutOfOrderness: 200ms}}",
                "{file: {path: \"" + out + "\"}}")).manifest();
        try (JobProcess p = JobProcess.start(m, RuntimeServices.connectors(0), 1, "reference", 1000)) {
            assertThat(p.execution().awaitTermination(PATIENCE)).isTrue();
            assertThat(p.execution().status()).isEqualTo(JobExecution.Status.FINISHED);
        }
        return KafkaPipelineTest.parse(Files.readAllLines(out));
    }

    @Test
    void shouldGiveTheSingleThreadedEnginesResultsWithThreePodsAndWithOne() throws Exception {
        broker.createTopic("sales", PARTITIONS);
        broker.createTopic("shops-3", 3);
        broker.createTopic("shops-1", 2);
        List<Sale> sales = sales(EVENTS);
        List<Map<String, Object>> expected = reference(sales);
        assertThat(expected).hasSizeGreaterThan(500);
        long lastWindowEnd = Math.floorDiv(sales.get(sales.size() - 1).ts(), 1000) * 1000 + 1000;

        // three pods, started before the input flows; pod 1 is killed and started again half-way
        Path three = Files.writeString(dir.resolve("three.yaml"), kafkaJob("three", "shops-3"));
        for (int i = 0; i < 3; i++) {
            startPod("three", i, 3, three);
        }
        awaitPodsSharing(List.of("three-0", "three-1", "three-2"));
        AtomicInteger sent = new AtomicInteger();
        Thread producer = new Thread(() -> produce(sales, sent), "test-producer");
        producer.start();
        await().atMost(PATIENCE).until(() -> sent.get() >= EVENTS / 2);
        pods.get("three-1").signal("KILL");
        await().atMost(PATIENCE).until(() -> !pods.get("three-1").isAlive());
        startPod("three", 1, 3, three);
        awaitPodsSharing(List.of("three-0", "three-1", "three-2"));
        producer.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(sent.get()).isEqualTo(EVENTS);
        closeAllWindows(sales.get(sales.size() - 1).ts() + 3_600_000);

        String topic = Repartition.topicName("three", "per-shop");
        try (Admin a = broker.admin()) {
            assertThat(a.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions())
                    .as("the repartition topic has the input's partition count").hasSize(PARTITIONS);
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> committedUpTo("three", topic, lastWindowEnd - 1));
        List<Map<String, Object>> three3 = KafkaPipelineTest.parse(KafkaTopics.readCommitted(broker, "shops-3"));
        assertSame("three pods", three3, expected);
        // the pods purge what no replay can need any more: every repartition partition starts after offset 0 soon
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            try (Admin a = broker.admin()) {
                Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> earliest = new HashMap<>();
                for (int i = 0; i < PARTITIONS; i++) {
                    earliest.put(new TopicPartition(topic, i), org.apache.kafka.clients.admin.OffsetSpec.earliest());
                }
                return a.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(o -> o.offset() > 0);
            }
        });

        // one pod alone, over the same input
        Path one = Files.writeString(dir.resolve("one.yaml"), kafkaJob("one", "shops-1"));
        startPod("one", 0, 1, one);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(
                () -> committedUpTo("one", Repartition.topicName("one", "per-shop"), lastWindowEnd - 1));
        List<Map<String, Object>> one1 = KafkaPipelineTest.parse(KafkaTopics.readCommitted(broker, "shops-1"));
        assertSame("one pod", one1, expected);
        assertThat(three3).as("three pods give what one gives").containsExactlyInAnyOrderElementsOf(one1);
        for (StretchProcess p : pods.values()) {
            if (p.isAlive()) {
                assertThat(p.stderr()).doesNotContain("Exception");
            }
        }
    }

    private static final java.util.regex.Pattern OWNS = java.util.regex.Pattern.compile("owns (\\d+) of (\\d+) partitions");

    /**
     * Waits until {@code names} share all partitions of the input and the repartition topic, each owning some, as each
     * pod last said (it logs every assignment it applies).
     */
    private void awaitPodsSharing(List<String> names) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            int total = 0;
            for (String n : names) {
                java.util.regex.Matcher m = OWNS.matcher(pods.get(n).stderr());
                int last = 0;
                while (m.find()) {
                    last = Integer.parseInt(m.group(1));
                }
                if (last == 0 || !pods.get(n).isAlive()) {
                    return false;
                }
                total += last;
            }
            return total == 2 * PARTITIONS;
        });
    }

    private static void assertSame(String what, List<Map<String, Object>> got, List<Map<String, Object>> expected) {
        List<Map<String, Object>> missing = new ArrayList<>(expected);
        got.forEach(missing::remove);
        List<Map<String, Object>> extra = new ArrayList<>(got);
        expected.forEach(extra::remove);
        System.out.println("KAFKA-REPARTITION " + what + ": " + expected.size() + " results expected, " + got.size() + " read, "
                + missing.size() + " lost, " + extra.size() + " duplicated or wrong");
        assertThat(missing).as("%s: lost or wrong (%d of %d); in their place: %s", what, missing.size(), expected.size(),
                extra.stream().limit(12).toList()).isEmpty();
        assertThat(extra).as("%s: duplicated or wrong (%d)", what, extra.size()).isEmpty();
    }

    /** Sends the records at about 2 000 a second, keyed by user. */
    private static void produce(List<Sale> sales, AtomicInteger sent) {
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            long next = System.nanoTime();
            for (Sale s : sales) {
                p.send(new ProducerRecord<>("sales", null, s.ts(), s.user(), s.json()));
                if (sent.incrementAndGet() % 100 == 0) {
                    p.flush();
                }
                next += 500_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing, not synchronisation
                }
            }
            p.flush();
        }
    }

    /** A record far ahead in event time in every input partition (filtered out by the job), so all windows close. */
    private static void closeAllWindows(long ts) {
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            for (int i = 0; i < PARTITIONS; i++) {
                p.send(new ProducerRecord<>("sales", i, ts, "~end", new Sale("~end", "~end", 0, ts).json()));
            }
            p.flush();
        }
    }

    /** Every partition of {@code topic} has its results up to {@code time} committed, as its offsets' metadata says. */
    private static boolean committedUpTo(String group, String topic, long time) throws Exception {
        try (Admin a = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < PARTITIONS; i++) {
                if (KafkaJob.emittedOf(committed.get(new TopicPartition(topic, i))) < time) {
                    return false;
                }
            }
            return true;
        }
    }

    private void startPod(String job, int ordinal, int count, Path file) throws IOException {
        Path d = Files.createDirectories(dir.resolve(job + "-" + ordinal + "-" + System.nanoTime()));
        StretchProcess p = StretchProcess.start(d, Map.of("POD_NAME", job + "-" + ordinal), "pod", "--job", file.toString(),
                "--bind", "127.0.0.1", "--port", "0", "--pods", Integer.toString(count),
                "--token-file", d.resolve("no-token").toString());
        pods.put(job + "-" + ordinal, p);
    }
}
