package dev.stretch.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.runtime.cli.StretchProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run of issue 13 with real processes and a real broker: a keyed windowed aggregate from an
 * input topic to an output topic while the job goes from 1 to 3 real {@code stretch pod} processes and back
 * to 1 (through the topology file, as the operator's ConfigMap does), and one pod is killed with SIGKILL
 * mid-run and started again (as its StatefulSet would). A {@code read_committed} reader of the output must
 * see every result of the single-threaded engine on the same input once: nothing lost, nothing duplicated.
 */
class KafkaScaleTest {
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final int PARTITIONS = 6;
    private static final int EVENTS = 40_000;
    /** Events sent in each phase of the run (1 pod, 3 pods, a kill, back to 1 pod). */
    private static final int PHASE = 8_000;
    private static KafkaBroker broker;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final Map<Integer, StretchProcess> pods = new HashMap<>();

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
        // what the pods said, next to the test's result in the report
        pods.forEach((i, p) -> System.out.println("---- pod " + i + " stderr:\n" + p.stderr()));
    }

    private String job(String bootstrap) {
        return """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: scale}
                spec:
                  parallelism: {threads: {min: 1, max: 2, initial: 1}}
                  kafka:
                    bootstrapServers: "%s"
                    properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "1000"}
                  pipeline:
                    - name: events
                      source:
                        kafka: {topics: [scale-in], key: {format: raw, field: user}, value: {format: json}}
                        watermark: {timestampField: ts}
                    - {name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: sum, field: amount, as: total}}}
                    - {name: out, sink: {kafka: {topic: scale-out, key: {format: raw, field: user}, commitInterval: 300ms}}}
                """.formatted(bootstrap);
    }

    @Test
    void shouldLoseAndRepeatNothingWhilePodsComeGoAndOneIsKilled() throws Exception {
        broker.createTopic("scale-in", PARTITIONS);
        broker.createTopic("scale-out", 3);
        List<KafkaTopics.Event> events = KafkaPipelineTest.events(EVENTS, 40);
        Path job = Files.writeString(dir.resolve("job.yaml"), job(broker.bootstrapServers()));
        Path topology = Files.createDirectories(dir.resolve("topology"));
        replace(topology.resolve("pods"), "1");

        AtomicInteger sent = new AtomicInteger();
        AtomicInteger allowed = new AtomicInteger(PHASE);
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> produce(events, sent, allowed, stop), "test-producer");
        startPod(0, job, topology);
        producer.start();
        try {
            await().atMost(PATIENCE).until(() -> sent.get() == PHASE
                    && KafkaTopics.readCommitted(broker, "scale-out").size() > 50);

            // 1 -> 3 pods while input flows
            allowed.addAndGet(PHASE);
            replace(topology.resolve("pods"), "3");
            startPod(1, job, topology);
            startPod(2, job, topology);
            awaitMembersOwningPartitions(3);
            await().atMost(PATIENCE).until(() -> sent.get() == allowed.get());

            // SIGKILL pod 1 while input flows, then start it again as its StatefulSet would
            allowed.addAndGet(PHASE);
            await().atMost(PATIENCE).until(() -> sent.get() > allowed.get() - PHASE / 2);
            pods.get(1).signal("KILL");
            await().atMost(PATIENCE).until(() -> !pods.get(1).isAlive());
            startPod(1, job, topology);
            awaitMembersOwningPartitions(3);
            await().atMost(PATIENCE).until(() -> sent.get() == allowed.get());

            // 3 -> 1 pod while input flows: pods 1 and 2 hand their partitions over, then go
            allowed.addAndGet(PHASE);
            replace(topology.resolve("pods"), "1");
            awaitMembersOwningPartitions(1);
            for (int i : List.of(1, 2)) {
                pods.get(i).signal("TERM");
                assertThat(pods.get(i).waitFor(PATIENCE)).isIn(0, 143);
            }
            allowed.set(EVENTS);
            producer.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(sent.get()).isEqualTo(EVENTS);
        } finally {
            stop.set(true);
        }
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            KafkaTopics.closeAllWindows(p, "scale-in", PARTITIONS, events.get(events.size() - 1).ts() + 3_600_000);
        }

        List<Map<String, Object>> expected = KafkaPipelineTest.reference(dir, events);
        long lastWindowEnd = Math.floorDiv(events.get(events.size() - 1).ts(), 1000) * 1000 + 1000;
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> committedUpTo(lastWindowEnd - 1));
        List<Map<String, Object>> got = KafkaPipelineTest.parse(KafkaTopics.readCommitted(broker, "scale-out"));
        List<Map<String, Object>> missing = new ArrayList<>(expected);
        got.forEach(missing::remove);
        List<Map<String, Object>> extra = new ArrayList<>(got);
        expected.forEach(extra::remove);
        assertThat(missing).as("lost or wrong (%d of %d); in their place: %s", missing.size(), expected.size(),
                extra.stream().limit(12).toList()).isEmpty();
        assertThat(extra).as("duplicated or wrong (%d)", extra.size()).isEmpty();
        assertThat(got).as("every key's results, each once").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pods.get(0).stderr()).doesNotContain("Exception");
    }

    /** Sends the events at about 2 000 a second, never more than {@code allowed} (the test's phases). */
    private void produce(List<KafkaTopics.Event> events, AtomicInteger sent, AtomicInteger allowed, AtomicBoolean stop) {
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            long next = System.nanoTime();
            for (int i = 0; i < events.size() && !stop.get(); i++) {
                while (i >= allowed.get() && !stop.get()) {
                    p.flush();
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // pacing, not synchronisation
                    next = System.nanoTime();
                }
                KafkaTopics.send(p, "scale-in", events.get(i));
                if (i % 100 == 99) {
                    p.flush();
                }
                sent.incrementAndGet();
                next += 500_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            p.flush();
        }
    }

    /**
     * Every input partition's committed offset says (in its metadata) that the results up to {@code time} are
     * committed: the last window's results are all in the output.
     */
    private boolean committedUpTo(long time) throws Exception {
        try (Admin a = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = a.listConsumerGroupOffsets("scale")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < PARTITIONS; i++) {
                if (KafkaJob.emittedOf(committed.get(new TopicPartition("scale-in", i))) < time) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Waits until {@code members} running pods share all partitions, each owning some, as each pod last said
     * (it logs every assignment it applies) and the group agrees (that many members).
     */
    private void awaitMembersOwningPartitions(int members) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
            int total = 0;
            int owning = 0;
            for (StretchProcess p : pods.values()) {
                if (!p.isAlive()) {
                    continue;
                }
                java.util.regex.Matcher m = OWNS.matcher(p.stderr());
                int last = 0;
                while (m.find()) {
                    last = Integer.parseInt(m.group(1));
                }
                total += last;
                owning += last > 0 ? 1 : 0;
            }
            if (owning != members || total != PARTITIONS) {
                return false;
            }
            try (Admin a = broker.admin()) {
                ConsumerGroupDescription d = a.describeConsumerGroups(List.of("scale")).all().get(30, TimeUnit.SECONDS)
                        .get("scale");
                return d.members().size() == members;
            }
        });
    }

    private static final java.util.regex.Pattern OWNS = java.util.regex.Pattern.compile("owns (\\d+) of \\d+ partitions");

    private void startPod(int ordinal, Path job, Path topology) throws IOException {
        Path d = Files.createDirectories(dir.resolve("pod-" + ordinal + "-" + System.nanoTime()));
        StretchProcess p = StretchProcess.start(d, Map.of("POD_NAME", "scale-" + ordinal), "pod", "--job",
                job.toString(), "--bind", "127.0.0.1", "--port", "0", "--topology-file",
                topology.resolve("pods").toString(), "--token-file", d.resolve("no-token").toString());
        pods.put(ordinal, p);
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
