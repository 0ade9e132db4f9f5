package dev.stretch.bench;

import dev.stretch.api.Aggregations;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.Sink;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@link ReconfigurationBench}'s job and schedules (1→8→1 and 1→16→1 under full load, the same gaps) for two or
 * more values of engine switches that are read per job, alternated within ONE JVM in short blocks (A B, B A, …):
 * on a shared machine whose load drifts over minutes, every variant meets the same load, which separate launches
 * a couple of minutes apart do not. Each block starts a fresh job with the variant's system properties, lets it
 * run 1 s, then does {@code cycles} cycles of each schedule; the request-to-active latencies (measured by the
 * engine) are pooled per variant.
 *
 * <p>Usage: {@code ReconfigurationAB blocks cycles "label:key=value,key=value" "label:" …}; prints per variant
 * p50/p90/p99/max over all its samples and per block, with this JVM's and the other processes' cores and the load.
 */
public final class ReconfigurationAB {
    private static final long GAP_MILLIS = 150;

    public static void main(String[] args) throws Exception {
        int blocks = Integer.parseInt(args[0]);
        int cycles = Integer.parseInt(args[1]);
        List<String> labels = new ArrayList<>();
        List<Map<String, String>> props = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String spec = args[i];
            int c = spec.indexOf(':');
            labels.add(spec.substring(0, c));
            Map<String, String> p = new LinkedHashMap<>();
            for (String kv : spec.substring(c + 1).split(",")) {
                if (!kv.isBlank()) {
                    String[] f = kv.split("=", 2);
                    p.put(f[0].trim(), f[1].trim());
                }
            }
            props.add(p);
        }
        int n = labels.size();
        Histogram[] all = new Histogram[n];
        List<List<String>> perBlock = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            all[v] = new Histogram(3);
            perBlock.add(new ArrayList<>());
        }
        // warm-up job (JIT), not recorded
        runBlock(props.get(0), 2, new Histogram(3), 3000);
        String loadBefore = JvmProbe.loadAverage();
        JvmProbe probe = new JvmProbe();
        probe.start();
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < n; k++) {
                int v = b % 2 == 0 ? k : n - 1 - k;
                Histogram h = new Histogram(3);
                double other = runBlock(props.get(v), cycles, h, 1000);
                all[v].add(h);
                perBlock.get(v).add(String.format(Locale.ROOT, "%.2f/%.2f(oc %.2f)", h.getValueAtPercentile(90) / 1000.0,
                        h.getMaxValue() / 1000.0, other));
            }
        }
        probe.stop();
        String loadAfter = JvmProbe.loadAverage();
        System.out.printf(Locale.ROOT, "ReconfigurationAB: %d blocks x %d cycles of 1->8->1 and 1->16->1 per variant "
                + "(%d reconfigurations per variant), alternated in one JVM%n", blocks, cycles, blocks * cycles * 4);
        System.out.printf(Locale.ROOT, "this JVM %.2f cores, other processes %.2f cores; load before `%s`, after `%s`%n",
                probe.ownCores, probe.otherCores, loadBefore, loadAfter);
        System.out.println("| variant | samples | p50 ms | p90 ms | p99 ms | max ms | per block p90/max ms (other cores) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (int v = 0; v < n; v++) {
            Histogram h = all[v];
            System.out.printf(Locale.ROOT, "| %s %s | %d | %.3f | %.3f | %.3f | %.3f | %s |%n", labels.get(v), props.get(v),
                    h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, String.join(" ", perBlock.get(v)));
        }
    }

    /** One job with {@code props} set while it is built and started; returns the other processes' cores meanwhile. */
    private static double runBlock(Map<String, String> props, int cycles, Histogram h, long warmMillis) throws Exception {
        Map<String, String> saved = new LinkedHashMap<>();
        props.forEach((k, val) -> {
            saved.put(k, System.getProperty(k));
            System.setProperty(k, val);
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong outputs = new AtomicLong();
        JobExecution job;
        try {
            StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().maxInstances(16).build());
            env.fromSource(new EventSource(7, 10_000, false, 100, -1, stop), WatermarkStrategy.forMonotonousTimestamps(), "events")
                    .keyByLong(Event::key)
                    .window(Windows.tumblingMillis(100))
                    .aggregate(Aggregations.<Event>count())
                    .name("count").setParallelism(1)
                    .sinkTo((Sink<Object>) i -> (e, ts) -> outputs.incrementAndGet());
            job = env.start("reconfiguration-ab");
        } finally {
            saved.forEach((k, old) -> {
                if (old == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, old);
                }
            });
        }
        JvmProbe probe = new JvmProbe();
        Thread.sleep(warmMillis);
        probe.start();
        for (int[] s : new int[][] {{1, 8}, {1, 16}}) {
            for (int k = 0; k < cycles; k++) {
                for (int target : new int[] {s[1], s[0]}) {
                    Thread.sleep(GAP_MILLIS);
                    ReconfigurationResult r = job.reconfigure("count", target);
                    Thread.sleep(100);
                    h.recordValue(Math.max(1, r.durationNanos() / 1000));
                }
            }
        }
        probe.stop();
        stop.set(true);
        if (!job.awaitTermination(Duration.ofSeconds(30))) {
            job.cancel();
        }
        return probe.otherCores;
    }
}
