package dev.stretch.runtime.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stretch.runtime.cli.StretchProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka benchmark of issue 13 (run by {@code bench/kafka}, not by {@code mvn verify}): a real single-node
 * broker ({@link KafkaBroker}, a JVM of its own) and real {@code stretch pod} processes on this machine.
 *
 * <ul>
 *   <li><b>Throughput</b>: N records already in a 6-partition topic; one pod runs a keyed 1 s tumbling sum with an
 *       exactly-once Kafka sink, keyed by the topic's key (no repartition) and by another field (through the
 *       repartition topic). Records per second from the pod's first commit to the commit of the last window's
 *       results (as the committed offsets' metadata says); the broker's and the pod's CPU time over that interval
 *       ({@code /proc} via {@code ProcessHandle}), so the broker's share of the CPU is reported.</li>
 *   <li><b>Partition move against state size</b>: K keys in open windows (a 10 min window, 2 records per key, all
 *       in the window), read and committed by one pod; then a second pod joins (pod count 1 -> 2). Each pod logs
 *       when it has read again what its partitions held when the assignment changed ("caught up after the
 *       partition move"): the move is complete when both have. Reported per pod and as the larger of the two.</li>
 * </ul>
 * Writes {@code <results>/<date>-kafka.md} and the {@code kafka} key of {@code <results>/latest.json} (keeping the
 * kill-and-rescale fields that are there).
 */
public final class KafkaBench {
    private static final long BASE = 1_700_000_000_000L;
    private static final int PARTITIONS = 6;
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final KafkaBroker broker;
    private final Path work;
    private final List<StretchProcess> started = new ArrayList<>();

    private KafkaBench(KafkaBroker broker, Path work) {
        this.broker = broker;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
        int events = Integer.getInteger("events", 1_000_000);
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("stateKeys", "1000,10000,100000").split(",")) {
            sizes.add(Integer.parseInt(s.strip()));
        }
        String command = System.getProperty("command", "bench/kafka");
        Path work = Files.createTempDirectory("stretch-kafka-bench-");
        String loadBefore = loadAverage();
        KafkaBroker broker = KafkaBroker.start();
        KafkaBench b = new KafkaBench(broker, work);
        List<Map<String, Object>> throughput = new ArrayList<>();
        List<Map<String, Object>> moves = new ArrayList<>();
        try {
            throughput.add(b.throughput("topic-key", "user", events));
            throughput.add(b.throughput("repartition", "shop", events));
            for (int k : sizes) {
                moves.add(b.move(k));
            }
        } finally {
            b.started.forEach(StretchProcess::close);
            broker.close();
        }
        String loadAfter = loadAverage();
        write(results, command, events, throughput, moves, loadBefore, loadAfter);
    }

    // ------------------------------------------------------------------ throughput

    private static String job(String name, String in, String out, String keyBy, String size, String commitInterval) {
        return """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: %s}
                spec:
                  parallelism: {threads: {min: 1, max: 2, initial: 2}}
                  kafka: {bootstrapServers: "%s", properties: {session.timeout.ms: "10000", heartbeat.interval.ms: "1000"}}
                  pipeline:
                    - name: sales
                      source:
                        kafka: {topics: [%s], key: {format: raw, field: user}, value: {format: json}}
                        watermark: {timestampField: ts}
                    - {name: per-key, window: {keyBy: %s, size: %s, aggregate: {function: sum, field: amount, as: total}}}
                    - {name: out, sink: {kafka: {topic: %s, key: {format: raw, field: %s}, commitInterval: %s}}}
                """.formatted(name, "%s", in, keyBy, size, out, keyBy, commitInterval);
    }

    private Map<String, Object> throughput(String name, String keyBy, int n) throws Exception {
        String in = "tp-" + name;
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(in + "-out", 3);
        // 20 records per ms of event time: 1 000 users, 100 shops; 20 000 records per 1 s window
        long lastTs = produce(in, n, i -> "u" + (i * 7919L % 1000), i -> "s" + (i * 31L % 100), i -> BASE + i / 20);
        endMarkers(in, lastTs + 3_600_000);
        String yaml = job("tp-" + name, in, in + "-out", keyBy, "1s", "200ms").formatted(broker.bootstrapServers());
        long lastWindowEnd = Math.floorDiv(lastTs, 1000) * 1000 + 1000;
        String progressTopic = keyBy.equals("user") ? in : Repartition.topicName("tp-" + name, "per-key");
        StretchProcess pod = startPod("tp-" + name, 0, yaml, null);
        ProcessHandle podProcess = ProcessHandle.of(pod.pid()).orElseThrow();
        // the first commit: the pod is in the group and reading
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (committedRecords("tp-" + name, in) == 0) {
            check(pod, deadline);
            Thread.sleep(50); // polling the broker's group offsets: a measurement's sampling interval
        }
        long t0 = System.nanoTime();
        Duration brokerCpu0 = KafkaBroker.cpuTime(broker.process());
        Duration podCpu0 = KafkaBroker.cpuTime(podProcess);
        String load0 = loadAverage();
        long first = committedRecords("tp-" + name, in);
        while (!committedUpTo("tp-" + name, progressTopic, lastWindowEnd - 1)) {
            check(pod, deadline);
            Thread.sleep(50);
        }
        long t1 = System.nanoTime();
        Duration brokerCpu = KafkaBroker.cpuTime(broker.process()).minus(brokerCpu0);
        Duration podCpu = KafkaBroker.cpuTime(podProcess).minus(podCpu0);
        String load1 = loadAverage();
        pod.close();
        double seconds = (t1 - t0) / 1e9;
        long records = n - first;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("run", name);
        r.put("keyBy", keyBy + (keyBy.equals("user") ? " (the topic's key)" : " (repartitioned)"));
        r.put("records", records);
        r.put("seconds", round(seconds, 2));
        r.put("tuples_per_s", Math.round(records / seconds));
        r.put("broker_cpu_s", round(brokerCpu.toMillis() / 1000.0, 2));
        r.put("pod_cpu_s", round(podCpu.toMillis() / 1000.0, 2));
        r.put("broker_cores", round(brokerCpu.toMillis() / 1000.0 / seconds, 2));
        r.put("pod_cores", round(podCpu.toMillis() / 1000.0 / seconds, 2));
        r.put("broker_cpu_share", round((double) brokerCpu.toMillis() / Math.max(1, brokerCpu.toMillis() + podCpu.toMillis()), 3));
        r.put("load_average", load0 + " -> " + load1);
        System.out.println("KAFKA-BENCH throughput " + r);
        return r;
    }

    // ------------------------------------------------------------------ partition move

    private Map<String, Object> move(int keys) throws Exception {
        String in = "mv-" + keys;
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(in + "-out", 3);
        int perKey = 2;
        int n = keys * perKey;
        long windowStart = Math.floorDiv(BASE, 600_000) * 600_000;
        // every record inside one 10 min window that stays open: the state is `keys` open-window keys
        produce(in, n, i -> "k" + (i % keys), i -> "s", i -> windowStart + i * 60_000L / n);
        String group = "mv-" + keys;
        String yaml = job(group, in, in + "-out", "user", "10m", "500ms").formatted(broker.bootstrapServers());
        Path topology = Files.createDirectories(work.resolve(group + "-topology"));
        replace(topology.resolve("pods"), "1");
        StretchProcess pod0 = startPod(group, 0, yaml, topology);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (committedRecords(group, in) < n) {
            check(pod0, deadline);
            Thread.sleep(100);
        }
        int before0 = caughtUp(pod0).size();
        String load0 = loadAverage();
        replace(topology.resolve("pods"), "2");
        StretchProcess pod1 = startPod(group, 1, yaml, topology);
        // both pods have read again what their partitions held: pod 0 its remaining partitions, pod 1 its new ones
        while (caughtUp(pod0).size() <= before0 || owned(pod0) + owned(pod1) != PARTITIONS || owned(pod0) == 0
                || owned(pod1) == 0 || !settled(pod0) || !settled(pod1)) {
            check(pod0, deadline);
            check(pod1, deadline);
            Thread.sleep(100);
        }
        String load1 = loadAverage();
        long[] last0 = caughtUp(pod0).get(caughtUp(pod0).size() - 1);
        long[] last1 = caughtUp(pod1).get(caughtUp(pod1).size() - 1);
        pod0.close();
        pod1.close();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("open_window_keys", keys);
        r.put("records_in_open_windows", n);
        r.put("pod0_replayed_records", last0[0]);
        r.put("pod0_ms", last0[1]);
        r.put("pod1_replayed_records", last1[0]);
        r.put("pod1_ms", last1[1]);
        r.put("move_ms", Math.max(last0[1], last1[1]));
        r.put("load_average", load0 + " -> " + load1);
        System.out.println("KAFKA-BENCH move " + r);
        return r;
    }

    private static final Pattern CAUGHT_UP = Pattern.compile("caught up after the partition move: replayed (\\d+) records of \\d+ partitions in (\\d+) ms");
    private static final Pattern OWNS = Pattern.compile("owns (\\d+) of \\d+ partitions");

    /** (replayed records, ms) of each catch-up the pod logged. */
    private static List<long[]> caughtUp(StretchProcess p) {
        List<long[]> out = new ArrayList<>();
        Matcher m = CAUGHT_UP.matcher(p.stderr());
        while (m.find()) {
            out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return out;
    }

    /** The pod's last assignment change has been caught up with (its catch-up line comes after it). */
    private static boolean settled(StretchProcess p) {
        String err = p.stderr();
        int lastOwns = -1;
        Matcher m = OWNS.matcher(err);
        while (m.find()) {
            lastOwns = m.start();
        }
        int lastCaughtUp = -1;
        Matcher c = CAUGHT_UP.matcher(err);
        while (c.find()) {
            lastCaughtUp = c.start();
        }
        return lastOwns >= 0 && lastCaughtUp > lastOwns;
    }

    private static int owned(StretchProcess p) {
        int last = 0;
        Matcher m = OWNS.matcher(p.stderr());
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    // ------------------------------------------------------------------ helpers

    private long produce(String topic, int n, java.util.function.IntFunction<String> user,
            java.util.function.IntFunction<String> shop, java.util.function.IntToLongFunction ts) {
        long last = Long.MIN_VALUE;
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                long t = ts.applyAsLong(i);
                last = Math.max(last, t);
                String u = user.apply(i);
                p.send(new ProducerRecord<>(topic, null, t, u, "{\"user\":\"" + u + "\",\"shop\":\"" + shop.apply(i)
                        + "\",\"amount\":" + (i % 97) + ",\"ts\":" + t + "}"));
            }
            p.flush();
        }
        return last;
    }

    private void endMarkers(String topic, long ts) {
        try (KafkaProducer<String, String> p = KafkaTopics.producer(broker)) {
            for (int i = 0; i < PARTITIONS; i++) {
                p.send(new ProducerRecord<>(topic, i, ts, "~end", "{\"user\":\"~end\",\"shop\":\"~end\",\"amount\":0,\"ts\":" + ts + "}"));
            }
            p.flush();
        }
    }

    /** Records of {@code topic} whose offsets the group has committed. */
    private long committedRecords(String group, String topic) throws Exception {
        try (Admin a = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> c = a.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            long sum = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : c.entrySet()) {
                if (e.getKey().topic().equals(topic)) {
                    sum += e.getValue().offset();
                }
            }
            return sum;
        }
    }

    private boolean committedUpTo(String group, String topic, long time) throws Exception {
        try (Admin a = broker.admin()) {
            int parts = a.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetAndMetadata> c = a.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            for (int i = 0; i < parts; i++) {
                if (KafkaJob.emittedOf(c.get(new TopicPartition(topic, i))) < time) {
                    return false;
                }
            }
            return true;
        }
    }

    private StretchProcess startPod(String job, int ordinal, String yaml, Path topology) throws IOException {
        Path d = Files.createDirectories(work.resolve(job + "-" + ordinal + "-" + System.nanoTime()));
        Path file = Files.writeString(d.resolve("job.yaml"), yaml);
        List<String> args = new ArrayList<>(List.of("pod", "--job", file.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--token-file", d.resolve("no-token").toString()));
        if (topology != null) {
            args.addAll(List.of("--topology-file", topology.resolve("pods").toString()));
        } else {
            args.addAll(List.of("--pods", "1"));
        }
        StretchProcess p = StretchProcess.start(d, Map.of("POD_NAME", job + "-" + ordinal), args.toArray(String[]::new));
        started.add(p);
        return p;
    }

    private static void check(StretchProcess p, long deadline) {
        if (!p.isAlive()) {
            throw new IllegalStateException("a pod exited: " + p.stderr());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no result within " + PATIENCE + "; pod said: " + p.stderr());
        }
    }

    private static void replace(Path file, String content) throws IOException {
        Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), content + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The Kafka version on the classpath (the broker runs the same jars). */
    static String kafkaVersion() {
        Matcher m = Pattern.compile("kafka-clients-([0-9][^/:]*)\\.jar").matcher(System.getProperty("java.class.path"));
        return m.find() ? m.group(1) : "unknown";
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    // ------------------------------------------------------------------ report

    @SuppressWarnings("unchecked")
    private static void write(Path results, String command, int events, List<Map<String, Object>> throughput,
            List<Map<String, Object>> moves, String loadBefore, String loadAfter) throws IOException {
        String date = LocalDate.now(ZoneOffset.UTC).toString();
        int cores = Runtime.getRuntime().availableProcessors();
        String machine = cores + " cores (" + System.getProperty("os.name") + ", Java " + Runtime.version().feature()
                + "); broker: single-node KRaft (Kafka " + kafkaVersion()
                + ") in a child JVM (-Xmx384m, SerialGC) on loopback; pods: `stretch pod` JVMs (-Xmx256m); load average "
                + loadBefore + " before, " + loadAfter + " after";
        StringBuilder md = new StringBuilder();
        md.append("# Kafka: throughput and partition moves against state size (issue 13)\n\n");
        md.append("Command: `").append(command).append("`  \nMachine: ").append(machine).append("\n\n");
        md.append("The machine is shared: other work (builds, tests) may run at the same time, as the load averages next to")
                .append(" each figure say; with a load average above the core count, the figures are lower bounds.\n\n");
        md.append("## Throughput through Kafka (one pod, exactly-once sink)\n\n");
        md.append(events).append(" records (JSON, ~75 bytes) already in a 6-partition topic; a keyed 1 s tumbling sum; the pod")
                .append(" reads, aggregates and writes its results in transactions (commit interval 200 ms). Time: from the")
                .append(" pod's first commit to the commit of the last window's results. CPU: `/proc` times of the broker's and")
                .append(" the pod's JVMs over that interval.\n\n");
        md.append("| run | key | records | s | tuples/s | broker CPU s (cores) | pod CPU s (cores) | broker share | load average |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : throughput) {
            md.append("| ").append(r.get("run")).append(" | ").append(r.get("keyBy")).append(" | ").append(r.get("records"))
                    .append(" | ").append(r.get("seconds")).append(" | **").append(r.get("tuples_per_s")).append("** (")
                    .append(cores).append(" cores) | ").append(r.get("broker_cpu_s")).append(" (").append(r.get("broker_cores"))
                    .append(") | ").append(r.get("pod_cpu_s")).append(" (").append(r.get("pod_cores")).append(") | ")
                    .append(r.get("broker_cpu_share")).append(" | ").append(r.get("load_average")).append(" |\n");
        }
        md.append("\n## Partition move time against state size\n\n");
        md.append("K keys, 2 records each, all inside one open 10 min window (so the state is K open-window keys and the")
                .append(" replay covers every record), read and committed by pod 0; then the pod count goes 1 -> 2 and pod 1")
                .append(" starts. Each pod logs when it has read again what its partitions held at the assignment change")
                .append(" (`caught up after the partition move`); pod 0 replays its remaining 3 partitions, pod 1 its 3 new")
                .append(" ones. The move time is the larger of the two (pod 1's starts at its first assignment, not at its")
                .append(" JVM's start).\n\n");
        md.append("| open-window keys | records replayed (pod 0 / pod 1) | pod 0 ms | pod 1 ms | move ms | load average |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : moves) {
            md.append("| ").append(r.get("open_window_keys")).append(" | ").append(r.get("pod0_replayed_records")).append(" / ")
                    .append(r.get("pod1_replayed_records")).append(" | ").append(r.get("pod0_ms")).append(" | ")
                    .append(r.get("pod1_ms")).append(" | **").append(r.get("move_ms")).append("** (").append(cores)
                    .append(" cores) | ").append(r.get("load_average")).append(" |\n");
        }
        md.append("\nThe kill-and-rescale run (lost/duplicated, move times of a running job) is in `2026-12-03-kafka-scale.md`.\n");
        Files.writeString(results.resolve(date + "-kafka.md"), md.toString());

        Path latest = results.resolve("latest.json");
        ObjectNode root = Files.exists(latest) ? (ObjectNode) JSON.readTree(latest.toFile()) : JSON.createObjectNode();
        ObjectNode kafka = root.has("kafka") ? (ObjectNode) root.get("kafka") : root.putObject("kafka");
        Map<String, Object> tk = throughput.get(0);
        kafka.put("tuples_per_s", ((Number) tk.get("tuples_per_s")).longValue());
        kafka.put("tuples_per_s_note", "one pod, keyed by the topic's key, 1 s tumbling sum, exactly-once sink; " + cores
                + " cores, load average " + tk.get("load_average") + "; broker CPU share " + tk.get("broker_cpu_share")
                + "; command: " + command + " (" + date + "); details in " + date + "-kafka.md");
        kafka.set("throughput", JSON.valueToTree(throughput));
        kafka.set("partition_move_vs_state", JSON.valueToTree(moves));
        kafka.put("bench_machine", machine);
        kafka.put("bench_command", command);
        kafka.put("bench_date", date);
        JSON.writeValue(latest.toFile(), root);
        System.out.println(md);
    }
}
