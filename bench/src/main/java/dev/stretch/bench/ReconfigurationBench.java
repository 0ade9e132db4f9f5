package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stretch.api.Aggregations;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.Sink;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Reconfiguration latency under full load: a keyed tumbling count whose source runs as fast as it can (so
 * every thread is busy and backpressure holds the source back) is rescaled 1→8→1 and 1→16→1 over and over.
 * Reports the request-to-active latency distribution per schedule and overall, and the throughput in the
 * 100 ms before and after each change (the dip). Writes {@code "reconfiguration"} into
 * {@code bench/results/latest.json} and a markdown section.
 *
 * <p>Usage: {@code ReconfigurationBench [samplesPerSchedule] [resultsDir]}.
 */
public final class ReconfigurationBench {
    private static final long WARMUP_MILLIS = 4000;
    private static final long GAP_MILLIS = 150;

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path results = Path.of(args.length > 1 ? args[1] : "bench/results");
        Files.createDirectories(results);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong outputs = new AtomicLong();
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().maxInstances(16).build());
        env.fromSource(new EventSource(7, 10_000, false, 100, -1, stop), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.<Event>count())
                .name("count").setParallelism(1)
                .sinkTo((Sink<Object>) i -> (e, ts) -> outputs.incrementAndGet());
        JobExecution job = env.start("reconfiguration-bench");
        Throughput tp = new Throughput(job);
        tp.start();
        Thread.sleep(WARMUP_MILLIS);
        double steady = tp.rateOver(1000);

        String loadBefore = JvmProbe.loadAverage();
        JvmProbe probe = new JvmProbe();
        probe.start();
        Map<String, Histogram> hist = new LinkedHashMap<>();
        Histogram all = new Histogram(3);
        List<double[]> dips = new ArrayList<>();
        int[][] schedules = {{1, 8}, {1, 16}};
        for (int[] s : schedules) {
            Histogram h = new Histogram(3);
            String name = s[0] + "->" + s[1] + "->" + s[0];
            for (int k = 0; k < samples; k++) {
                for (int target : new int[] {s[1], s[0]}) {
                    Thread.sleep(GAP_MILLIS);
                    double before = tp.rateOver(100);
                    long wall0 = System.nanoTime();
                    ReconfigurationResult r = job.reconfigure("count", target);
                    long wall = System.nanoTime() - wall0;
                    Thread.sleep(100);
                    double after = tp.rateOver(100);
                    h.recordValue(Math.max(1, r.durationNanos() / 1000));
                    all.recordValue(Math.max(1, r.durationNanos() / 1000));
                    dips.add(new double[] {before, after, wall / 1e6});
                }
            }
            hist.put(name, h);
        }
        probe.stop();
        String loadAfter = JvmProbe.loadAverage();
        stop.set(true);
        tp.stopSampling();
        job.awaitTermination(java.time.Duration.ofSeconds(60));

        double dipMean = dips.stream().mapToDouble(d -> d[0] > 0 ? d[1] / d[0] : 1).average().orElse(1);
        double dipMin = dips.stream().mapToDouble(d -> d[0] > 0 ? d[1] / d[0] : 1).min().orElse(1);
        String machine = Machine.describe();
        StringBuilder md = new StringBuilder();
        md.append("## Reconfiguration latency under full load\n\n")
                .append("Command: `bench/run --only reconfiguration` (").append(samples).append(" cycles per schedule). ")
                .append("Machine: ").append(machine).append("\n\n")
                .append("Job: generator (1 split, unpaced, 10k keys) → keyed tumbling count (100 ms) → sink. ")
                .append("Latency = request to new configuration active (epoch switch, readers/writers registered, new ")
                .append("instances submitted), measured by the engine.\n\n")
                .append("| schedule | samples | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        hist.forEach((n, h) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", n,
                h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0)));
        md.append(String.format(Locale.ROOT, "| all | %d | %.3f | %.3f | %.3f |%n%n", all.getTotalCount(),
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0));
        md.append(String.format(Locale.ROOT, "Steady throughput before the schedule: %.2f M events/s. Throughput in "
                + "the 100 ms after a change relative to the 100 ms before: mean %.2f, worst %.2f.%n", steady / 1e6,
                dipMean, dipMin));
        md.append(String.format(Locale.ROOT, "%nWhile the schedules ran: this JVM used %.2f cores, other processes %.2f "
                + "cores; load average before `%s`, after `%s`.%n", probe.ownCores, probe.otherCores, loadBefore, loadAfter));
        System.out.print(md);
        // one line for scripts that run this repeatedly (bench/reconf-ab)
        System.out.printf(Locale.ROOT, "RESULT p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f own_cores=%.2f other_cores=%.2f "
                + "load_before=%s load_after=%s%n", all.getValueAtPercentile(50) / 1000.0,
                all.getValueAtPercentile(90) / 1000.0, all.getValueAtPercentile(99) / 1000.0, all.getMaxValue() / 1000.0, probe.ownCores, probe.otherCores,
                loadBefore.split(" ")[0], loadAfter.split(" ")[0]);

        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path latest = results.resolve("latest.json");
        ObjectNode root = Files.exists(latest) ? (ObjectNode) om.readTree(latest.toFile()) : om.createObjectNode();
        ObjectNode rec = om.createObjectNode();
        rec.put("p50_ms", round(all.getValueAtPercentile(50) / 1000.0));
        rec.put("p99_ms", round(all.getValueAtPercentile(99) / 1000.0));
        rec.put("max_ms", round(all.getMaxValue() / 1000.0));
        rec.put("samples", all.getTotalCount());
        rec.put("threads_max", 16);
        root.set("reconfiguration", rec);
        ObjectNode detail = om.createObjectNode();
        hist.forEach((n, h) -> {
            ObjectNode o = detail.putObject(n);
            o.put("p50_ms", round(h.getValueAtPercentile(50) / 1000.0));
            o.put("p99_ms", round(h.getValueAtPercentile(99) / 1000.0));
            o.put("max_ms", round(h.getMaxValue() / 1000.0));
            o.put("samples", h.getTotalCount());
        });
        detail.put("steady_events_per_s", Math.round(steady));
        detail.put("throughput_after_over_before_mean", round(dipMean));
        detail.put("throughput_after_over_before_min", round(dipMin));
        detail.put("own_cores", round(probe.ownCores));
        detail.put("other_cores", round(probe.otherCores));
        detail.put("load_before", loadBefore);
        detail.put("load_after", loadAfter);
        root.set("reconfiguration_detail", detail);
        if (!root.has("machine")) {
            root.set("machine", Machine.json(om));
        }
        om.writeValue(latest.toFile(), root);
        write(results.resolve("reconfiguration.md"), md.toString());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void write(Path p, String s) throws IOException {
        Files.writeString(p, s);
    }

    /** Samples the source's input count every 10 ms to compute rates over recent intervals. */
    static final class Throughput extends Thread {
        private final JobExecution job;
        private final long[] times = new long[1 << 16];
        private final long[] counts = new long[1 << 16];
        private volatile int n;
        private volatile boolean running = true;

        Throughput(JobExecution job) {
            super("throughput-sampler");
            setDaemon(true);
            this.job = job;
        }

        @Override
        public void run() {
            while (running) {
                long c = job.metrics().operator("events").orElseThrow().tuplesIn();
                int i = n & (times.length - 1);
                times[i] = System.nanoTime();
                counts[i] = c;
                n++;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Events per second over the last {@code millis}. */
        double rateOver(long millis) {
            int last = n - 1;
            if (last < 1) {
                return 0;
            }
            long tEnd = times[last & (times.length - 1)];
            int j = last;
            while (j > 0 && last - j < times.length - 1 && tEnd - times[(j - 1) & (times.length - 1)] <= millis * 1_000_000) {
                j--;
            }
            long dt = tEnd - times[j & (times.length - 1)];
            long dc = counts[last & (times.length - 1)] - counts[j & (times.length - 1)];
            return dt <= 0 ? 0 : dc / (dt / 1e9);
        }

        void stopSampling() {
            running = false;
        }
    }
}
