package dev.stretch.operator.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stretch.autoscaler.AutoscalerConfig;
import dev.stretch.autoscaler.AutoscalerOptions;
import dev.stretch.autoscaler.ClusterAutoscaler;
import dev.stretch.autoscaler.ClusterDecision;
import dev.stretch.autoscaler.MetricSample;
import dev.stretch.autoscaler.OperatorSample;
import dev.stretch.autoscaler.PodLayout;
import dev.stretch.autoscaler.PodLimits;
import dev.stretch.operator.kubelet.PrometheusServer;
import dev.stretch.operator.status.PodObservation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The autoscaling benchmark (issue 12): reaction time of the operator's loop to a x4 load step, from the step to
 * the new thread count active in a real {@code stretch pod} process, with {@code direct} metrics and through a
 * real Prometheus server; and flapping on noisy steady load. The loop is the operator's own parts (the
 * collectors, {@link ClusterAutoscaler} with the same settings translation, {@link ThreadRealiser}) run without
 * the Kubernetes API, one evaluation per interval, exactly as {@link JobScaler} runs them.
 *
 * <pre>bench/autoscaling   (writes bench/results/autoscaling.md and the "autoscaling" key of latest.json)</pre>
 */
public final class AutoscalingBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final double STEP_AT_S = 25;
    /** The loop starts this long before the step: past the JVM's warm-up, with a full metric window. */
    static final double LOOP_LEAD_S = 8;
    /**
     * How often the loop collects and decides: the operator's default for direct metrics
     * ({@code metricSource.interval}), and the same for Prometheus (set in the StreamJob there; its default, 5 s,
     * suits a cluster's usual 15-30 s scrapes).
     */
    static final Duration INTERVAL = dev.stretch.model.Defaults.DIRECT_INTERVAL;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "runtime-image/target/stretch.jar").toAbsolutePath();
        Path results = Path.of(args.length > 1 ? args[1] : "bench/results").toAbsolutePath();
        List<Double> direct = new ArrayList<>();
        List<Double> prometheus = new ArrayList<>();
        int runs = Integer.getInteger("runs", 3);
        double loadBefore = loadAverage();
        String modes = System.getProperty("modes", "direct,prometheus");
        for (int i = 0; i < runs; i++) {
            if (modes.contains("direct")) {
                direct.add(attempts(jar, false));
            }
            if (modes.contains("prometheus")) {
                prometheus.add(attempts(jar, true));
            }
        }
        if (direct.isEmpty() || prometheus.isEmpty()) {
            System.err.println("direct " + direct + ", prometheus " + prometheus + " (one mode only: nothing written)");
            return;
        }
        double noisy = noisyChangesPer10Min();
        double directMedian = median(direct);
        double promMedian = median(prometheus);
        double load = loadAverage();
        String machine = Runtime.getRuntime().availableProcessors() + " cores, 1-minute load average " + loadBefore
                + " when the runs started and " + load + " at the end (shared with other builds)";
        String md = String.format(Locale.ROOT, """
                # Autoscaling: reaction time and flapping (issue 12)

                Command: `bench/autoscaling` (%s). Machine: %s.

                | what | result | goal |
                |---|---|---|
                | direct: x4 load step -> new thread count active, median of %d (each run: %s s) | %.2f s | < 2 s |
                | prometheus (scrape 1 s): same, median of %d (each run: %s s) | %.2f s | < 1 + 1 s |
                | noisy steady load (+-15 %%, simulated hour, fluid model): most changes in any 10 min | %.0f | <= 1 |

                Reaction: the pod's generator steps from 200 to 800 records/s %.0f s after the job starts (the loop
                starts deciding 8 s before the step, past the JVM's warm-up; 1.2 ms of CPU per record in the window,
                so the base load keeps one thread about 24 %% busy on a free core and the step about 96 %%); measured
                from the step to the
                first `GET /v1/status` of the pod showing more threads, with the operator's loop (collector,
                ClusterAutoscaler, ThreadRealiser) evaluating every %s (metric window 1 s, target 0.6); busy
                from the counters in both modes (Prometheus: irate of stretch_operator_busy_seconds_total).
                Prometheus as the operator runs it: the loop polls the newest scrape's time every 100 ms and
                collects as soon as a scrape lands (its queries in parallel), the sample stamped with the scrape's
                time, so the 1 s window holds the newest scrape interval once.
                Noisy: ClusterAutoscaler on a simulated hour of noisy load at 1500/s (2 threads, a sample every %s), default
                stabilisation and delays of a cluster job (window 5 s, stabilisation 10 s, scale-down delay 60 s).
                """, Instant.now(), machine, runs, list(direct), directMedian, runs, list(prometheus), promMedian,
                noisy, STEP_AT_S, dev.stretch.model.Durations.format(INTERVAL), dev.stretch.model.Durations.format(INTERVAL));
        Files.createDirectories(results);
        Files.writeString(results.resolve("autoscaling.md"), md);
        Path latest = results.resolve("latest.json");
        ObjectNode root = Files.exists(latest) ? (ObjectNode) JSON.readTree(latest.toFile()) : JSON.createObjectNode();
        ObjectNode a = root.putObject("autoscaling");
        a.put("direct_reaction_s", round(directMedian));
        a.put("prometheus_reaction_s", round(promMedian));
        a.put("scrape_interval_s", 1.0);
        a.put("noisy_changes_per_10min", noisy);
        a.put("machine", machine);
        a.put("command", "bench/autoscaling");
        a.putPOJO("direct_runs_s", direct);
        a.putPOJO("prometheus_runs_s", prometheus);
        JSON.writerWithDefaultPrettyPrinter().writeValue(latest.toFile(), root);
        System.out.print(md);
    }

    private static double loadAverage() throws java.io.IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /** A run, tried up to three times when the machine is too loaded for the base load to read as such. */
    static double attempts(Path jar, boolean viaPrometheus) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return reaction(jar, viaPrometheus);
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.err.println("retrying: " + e.getMessage());
            }
        }
    }

    /** One run: a pod process, the loop every second, seconds from the load step to more threads active. */
    static double reaction(Path jar, boolean viaPrometheus) throws Exception {
        Path dir = Files.createTempDirectory("stretch-autoscaling-bench");
        Files.writeString(dir.resolve("token"), "bench-token");
        Files.writeString(dir.resolve("job.yaml"), """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: bench}
                spec:
                  parallelism: {threads: {min: 1, max: 4, initial: 1}}
                  autoscaling: {mode: Auto, inProcess: false}
                  pipeline:
                    - name: events
                      source:
                        generator: {keys: 100, rate: {profile: step, rate: 200, peak: 800, stepAt: %ds}}
                    - name: counts
                      window: {keyBy: key, size: 1s, aggregate: {function: count}, simulatedWork: 1200us}
                    - name: out
                      sink: {stdout: {format: jsonl}}
                """.formatted((int) STEP_AT_S));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "pod", "--job", dir.resolve("job.yaml").toString(), "--token-file",
                dir.resolve("token").toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--pods", "1", "--pod-ordinal", "0");
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("pod.log").toFile());
        Process pod = pb.start();
        PrometheusServer prom = null;
        try {
            String base = "http://127.0.0.1:" + port;
            double uptimeAtStart = awaitStatus(base);
            long t0 = System.nanoTime() - (long) (uptimeAtStart * 1e9); // the job's start on this clock
            MetricsCollector collector;
            if (viaPrometheus) {
                prom = PrometheusServer.start(Duration.ofSeconds(1));
                prom.targets(List.of("127.0.0.1:" + port));
                collector = new PrometheusMetricsCollector(prom.url(), null, Duration.ofSeconds(3),
                        Duration.ofSeconds(2));
            } else {
                collector = new DirectMetricsCollector(Duration.ofSeconds(2));
            }
            AutoscalerConfig config = AutoscalerConfig.defaults()
                    .with(AutoscalerOptions.TARGET_UTILIZATION, 0.6)
                    .with(AutoscalerOptions.METRIC_WINDOW, Duration.ofSeconds(1))
                    .with(AutoscalerOptions.STABILIZATION, Duration.ofSeconds(3))
                    .with(AutoscalerOptions.SCALE_DOWN_DELAY, Duration.ofSeconds(60));
            ClusterAutoscaler policy = new ClusterAutoscaler(config, PodLimits.fixedCpu(4, 1, 1)
                    .withMaxThreadsPerOperator(4), ClusterAutoscaler.Settings.defaults(), Clock.systemUTC());
            ThreadRealiser realiser = new ThreadRealiser(Duration.ofSeconds(2));
            PodObservation p = new PodObservation("bench-0", true, null, "127.0.0.1", port, null, false);
            long deadline = t0 + (long) ((STEP_AT_S + 60) * 1e9);
            long loopStart = t0 + (long) ((STEP_AT_S - LOOP_LEAD_S) * 1e9);
            while (System.nanoTime() < loopStart) {
                collector.collect("bench", "bench", List.of(p)); // keeps the collector's previous scrape fresh
                Thread.sleep(INTERVAL.toMillis());
            }
            // as JobScalers: a source with its own sampling clock (Prometheus) is polled for a new scrape every
            // interval / 5 and collected as soon as one lands
            long period = collector.pollsForNewData()
                    ? Math.max(100, Math.min(1000, INTERVAL.toMillis() / 5)) * 1_000_000L : INTERVAL.toNanos();
            long lastCollect = 0;
            while (System.nanoTime() < deadline) {
                long tick = System.nanoTime();
                if (collector.pollsForNewData() && tick - lastCollect < INTERVAL.toNanos()
                        && !collector.newData("bench", "bench")) {
                    long sleep = period - (System.nanoTime() - tick);
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                    continue;
                }
                lastCollect = tick;
                CollectedMetrics m = collector.collect("bench", "bench", List.of(p));
                if (Boolean.getBoolean("verbose")) {
                    System.err.println(m);
                }
                if (m.available()) {
                    List<OperatorSample> samples = new ArrayList<>();
                    Map<String, Integer> perPod = new LinkedHashMap<>();
                    for (PodMetrics pm : m.operators()) {
                        // as JobScaler: the back-pressure the operator puts on its writers (here: the source)
                        double held = InputBackpressure.of(null).of(pm.operator(),
                                m.backpressure().getOrDefault(pm.pod(), Map.of()));
                        samples.add(new OperatorSample(pm.operator(), pm.threads(), 1, 4, pm.arrivingRate(),
                                pm.processedRate(), pm.busyRatio(), pm.backlog(), pm.eventTimeLagMillis(), held));
                        perPod.put(pm.operator(), pm.threads());
                    }
                    policy.observe(new MetricSample(m.sampledAt() != null && !m.sampledAt().isAfter(Instant.now())
                            ? m.sampledAt() : Instant.now(), samples, false));
                    if (!perPod.isEmpty()) {
                        ClusterDecision d = policy.evaluate(new PodLayout(1, 2, perPod));
                        if (Boolean.getBoolean("verbose")) {
                            System.err.println(d.summary());
                        }
                        if (d.apply() && realiser.apply(List.of(p), d.step().after().threadsPerPod(),
                                "bench-token") == null) {
                            policy.stepApplied(d.step());
                        }
                    }
                }
                if (threads(base) > 1) {
                    double since = (System.nanoTime() - t0) / 1e9 - STEP_AT_S;
                    if (since < 0) {
                        throw new IllegalStateException("scaled up " + (-since) + " s before the step: the machine "
                                + "is too loaded for the base load; see " + dir.resolve("pod.log"));
                    }
                    System.err.printf(Locale.ROOT, "%s: %.2f s%n", viaPrometheus ? "prometheus" : "direct", since);
                    return since;
                }
                long sleep = period - (System.nanoTime() - tick);
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            throw new IllegalStateException("no scale-up within 60 s of the step; see " + dir.resolve("pod.log"));
        } finally {
            if (prom != null) {
                prom.close();
            }
            pod.destroy();
            pod.waitFor();
        }
    }

    private static double awaitStatus(String base) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                JsonNode s = JSON.readTree(get(base + "/v1/status"));
                return s.path("uptimeSeconds").asDouble();
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the pod did not answer within 60 s");
    }

    private static int threads(String base) throws Exception {
        for (JsonNode o : JSON.readTree(get(base + "/v1/status")).path("operators")) {
            if (o.path("name").asText().equals("counts")) {
                return o.path("instances").asInt();
            }
        }
        return 0;
    }

    private static String get(String uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The most changes in any 10 simulated minutes of an hour of noisy steady load (fluid model, fake clock). */
    static double noisyChangesPer10Min() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Instant[] now = {start};
        InstantSource clock = () -> now[0];
        AutoscalerConfig config = AutoscalerConfig.defaults().with(AutoscalerOptions.SCALE_DOWN_DELAY,
                Duration.ofSeconds(60));
        ClusterAutoscaler policy = new ClusterAutoscaler(config, PodLimits.resizableCpu(1, 1, 4, 1, 1, 4)
                .withMaxThreadsPerOperator(4), ClusterAutoscaler.Settings.defaults(), clock);
        Random random = new Random(7);
        PodLayout layout = new PodLayout(1, 2, Map.of("agg", 2));
        double backlog = 0;
        List<Long> changes = new ArrayList<>();
        // sampled at the loop's interval, as the operator samples
        long stepMs = INTERVAL.toMillis();
        for (long ms = 0; ms < 3_600_000; ms += stepMs) {
            long t = ms / 1000;
            now[0] = start.plusMillis(ms);
            double in = 1500 * (1 + 0.15 * random.nextGaussian());
            int threads = layout.totalThreads("agg");
            double dt = stepMs / 1000.0;
            double processed = Math.min(in + backlog / dt, threads * 1000.0);
            backlog = Math.max(0, backlog + (in - processed) * dt);
            policy.observe(new MetricSample(now[0], List.of(new OperatorSample("agg", threads, 1, 16, in, processed,
                    processed / (threads * 1000.0), backlog, 0))));
            ClusterDecision d = policy.evaluate(layout);
            if (d.apply()) {
                layout = d.step().after();
                policy.stepApplied(d.step());
                changes.add(t);
            }
        }
        int most = 0;
        for (long from = 0; from < 3600; from += 60) {
            long f = from;
            most = (int) Math.max(most, changes.stream().filter(c -> c >= f && c < f + 600).count());
        }
        return most;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static String list(List<Double> xs) {
        return String.join(", ", xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }
}
