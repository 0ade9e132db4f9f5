package dev.stretch.runtime.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one process) for tests: a JVM of its own
 * running Kafka from the Maven Central jars on the test classpath ({@code org.apache.kafka:kafka_2.13}), on
 * loopback, on ports picked free at start, with its data in a temporary directory removed on close. One per
 * test class: starting one takes a few seconds.
 */
public final class KafkaBroker implements AutoCloseable {
    /** The clients' INFO lines would bury the tests' output (kept: java.util.logging holds loggers weakly). */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOGS.setLevel(java.util.logging.Level.WARNING);
    }

    private final Process process;
    private final Path dir;
    private final String bootstrap;

    private KafkaBroker(Process process, Path dir, String bootstrap) {
        this.process = process;
        this.dir = dir;
        this.bootstrap = bootstrap;
    }

    /** Formats a fresh log directory, starts the broker and waits until it answers. */
    public static KafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("stretch-kafka-");
            int port = freePort();
            int controller = freePort();
            Path props = dir.resolve("server.properties");
            Files.writeString(props, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controller,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=3",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=3",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "log.flush.interval.messages=9223372036854775807",
                    // tests use event times in the past: time-based retention would delete their records
                    "log.retention.ms=-1",
                    "log.retention.bytes=-1",
                    "") );
            int format = java("kafka.tools.StorageTool", dir, "format", "-t", Uuid.randomUuid().toString(), "-c",
                    props.toString()).waitFor();
            if (format != 0) {
                throw new IllegalStateException("formatting the Kafka log directory failed: "
                        + Files.readString(dir.resolve("kafka.tools.StorageTool.log")));
            }
            Process p = java("kafka.Kafka", dir, props.toString());
            KafkaBroker b = new KafkaBroker(p, dir, "127.0.0.1:" + port);
            b.awaitUp();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process java(String main, Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1".equals(System.getenv("STRETCH_KAFKA_FAST_JIT")) ? "-XX:TieredStopAtLevel=1" : "-Xss1m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main);
        cmd.addAll(List.of(args));
        Path log = dir.resolve(main + ".log");
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private void awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ": " + log());
            }
            try (Admin a = admin()) {
                a.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
            }
        }
        close();
        throw new IllegalStateException("the Kafka broker did not answer within 120 s: " + last + "\n" + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("kafka.Kafka.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** host:port for clients. */
    public String bootstrapServers() {
        return bootstrap;
    }

    /** The broker's process (for its CPU time). */
    public ProcessHandle process() {
        return process.toHandle();
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** Creates a topic with {@code partitions} partitions and waits until it exists. */
    public void createTopic(String name, int partitions) {
        try (Admin a = admin()) {
            a.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!a.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(Set.of(name))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + name + " did not appear");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + name + ": " + e, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is no failure
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Duration cpuTime(ProcessHandle p) {
        return p.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
