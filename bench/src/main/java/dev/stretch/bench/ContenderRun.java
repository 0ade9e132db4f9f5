package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobExecution;
import dev.stretch.bench.flink.FlinkJobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One contender on one configuration, in a JVM of its own (started by {@link BenchSuite}, or by hand):
 * generates the input before any clock starts, runs the job, checks that every repetition gives the same
 * output count and checksum, and prints one line {@code RESULT {json}}.
 *
 * <p>Throughput run: a warm-up repetition (for Flink with a tenth of the events), then measured
 * repetitions until both {@code reps} and {@code minSeconds} are reached; each repetition's time runs from
 * the first record a source reads to the last sink writer's close, so engine start-up (Flink's
 * MiniCluster: seconds) is left out; throughput = input tuples (both streams for the join) / time,
 * the median of the measured repetitions is reported.
 *
 * <p>Latency run ({@code rate > 0}): one paced repetition of {@code seconds}; outputs of windows that
 * end in the first {@code skipSeconds} (JIT warm-up) are not recorded. See {@link Pacing} for the zero
 * point.
 *
 * <p>Usage: {@code ContenderRun key=value…} with workload, keys, dist (uniform|zipf), contender
 * (stretch-vsn|stretch-sn|flink|hand-loop), threads, splits, events, reps, minSeconds, rate, seconds,
 * skipSeconds, warmUp (true|false), flinkBufferTimeoutMs, flinkWatermarkMs.
 */
public final class ContenderRun {
    private ContenderRun() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        Workload w = Workload.of(a.get("workload"));
        int keys = Integer.parseInt(a.getOrDefault("keys", "1000"));
        String dist = a.getOrDefault("dist", "uniform");
        boolean zipf = switch (dist) {
            case "uniform" -> false;
            case "zipf" -> true;
            default -> throw new IllegalArgumentException("dist must be uniform or zipf, was " + dist);
        };
        String contender = a.get("contender");
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        int splits = Integer.parseInt(a.getOrDefault("splits", Integer.toString(threads)));
        double rate = Double.parseDouble(a.getOrDefault("rate", "0"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "10"));
        double skipSeconds = Double.parseDouble(a.getOrDefault("skipSeconds", "3"));
        long epm = w.eventsPerMs(zipf);
        long events = rate > 0 ? (long) (rate / w.streams() * seconds) : (long) Double.parseDouble(a.get("events"));
        int reps = Integer.parseInt(a.getOrDefault("reps", "3"));
        boolean warmUp = Boolean.parseBoolean(a.getOrDefault("warmUp", "true"));
        double minSeconds = Double.parseDouble(a.getOrDefault("minSeconds", "2"));
        long flinkBt = Long.parseLong(a.getOrDefault("flinkBufferTimeoutMs", rate > 0 ? "1" : "100"));
        long flinkWm = Long.parseLong(a.getOrDefault("flinkWatermarkMs", rate > 0 ? "5" : "200"));

        long g0 = System.nanoTime();
        Dataset da = Dataset.generate(Workload.SEED_A, keys, zipf, events, epm);
        Dataset db = w.streams() > 1 ? Dataset.generate(Workload.SEED_B, keys, zipf, events, epm) : null;
        double genSeconds = (System.nanoTime() - g0) / 1e9;
        long inputTuples = events * w.streams();

        Runner runner = switch (contender) {
            case "hand-loop" -> new HandLoopRunner(w, da, db);
            case "stretch-vsn" -> new StretchRunner(w, ExecutionMode.VSN, threads, splits, da, db);
            case "stretch-sn" -> new StretchRunner(w, ExecutionMode.SN, threads, splits, da, db);
            case "flink" -> new FlinkRunner(w, threads, da, db, flinkBt, flinkWm);
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        if (contender.equals("hand-loop") && (threads != 1 || rate > 0)) {
            throw new IllegalArgumentException("the hand loop runs on one thread and is not paced");
        }

        String loadBefore = JvmProbe.loadAverage();
        JvmProbe probe = new JvmProbe();
        List<Rep> measured = new ArrayList<>();
        Histogram latency = null;
        LatencyTrace trace = null;
        if (rate > 0) {
            Pacing pacing = new Pacing(rate / w.streams(), epm, splits, events);
            long skipEnd = (long) (rate / w.streams() * skipSeconds / epm);
            probe.start();
            Rep r = runner.run(events, pacing, skipEnd);
            probe.stop();
            measured.add(r);
            latency = r.latency;
            trace = r.trace;
            String dump = System.getProperty("bench.latencyTrace.file");
            if (trace != null && dump != null) {
                trace.dump(dump, pacing);
            }
        } else {
            Rep warm = warmUp ? runner.run(runner.warmUpEvents(events), null, 0) : null;
            Rep first = null;
            double total = 0;
            probe.start();
            while (measured.size() < reps || (total < minSeconds && measured.size() < 20)) {
                Rep r = runner.run(events, null, 0);
                if (first == null) {
                    first = r;
                    if (warm != null && runner.warmUpEvents(events) == events) {
                        check(warm, r, "warm-up");
                    }
                } else {
                    check(first, r, "repetition " + (measured.size() + 1));
                }
                measured.add(r);
                total += r.seconds;
            }
            probe.stop();
        }
        String loadAfter = JvmProbe.loadAverage();

        double[] tps = measured.stream().mapToDouble(r -> inputTuples / r.seconds).toArray();
        double[] sorted = tps.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        Rep r0 = measured.get(0);

        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.put("workload", w.id());
        o.put("keys", keys);
        o.put("distribution", dist);
        o.put("contender", contender);
        o.put("threads", threads);
        o.put("run", rate > 0 ? "latency" : "throughput");
        o.put("tuples_per_s", Math.round(median));
        o.put("outputs", r0.outputs);
        o.put("checksum", Checksums.hex(r0.checksum));
        o.put("splits", contender.equals("hand-loop") ? 1 : splits);
        o.put("events_per_stream", events);
        o.put("input_tuples", inputTuples);
        o.put("events_per_ms", epm);
        if (w == Workload.BAND_JOIN) {
            long comparisons = Workload.bandComparisons(events, epm);
            o.put("comparisons", comparisons);
            o.put("comparisons_per_s", Math.round(median * comparisons / inputTuples));
        }
        ArrayNode reps0 = o.putArray("rep_tuples_per_s");
        for (double t : tps) {
            reps0.add(Math.round(t));
        }
        ArrayNode secs = o.putArray("rep_seconds");
        for (Rep r : measured) {
            secs.add(round3(r.seconds));
        }
        if (latency != null) {
            o.put("rate", Math.round(rate));
            o.put("achieved_tuples_per_s", Math.round(inputTuples / r0.seconds));
            o.put("latency_samples", latency.getTotalCount());
            o.put("p50_ms", round3(latency.getValueAtPercentile(50) / 1000.0));
            o.put("p90_ms", round3(latency.getValueAtPercentile(90) / 1000.0));
            o.put("p99_ms", round3(latency.getValueAtPercentile(99) / 1000.0));
            o.put("p999_ms", round3(latency.getValueAtPercentile(99.9) / 1000.0));
            o.put("max_ms", round3(latency.getMaxValue() / 1000.0));
            if (trace != null) {
                trace.describe(o);
            }
            ArrayNode cdf = o.putArray("latency_cdf");
            for (double p : new double[] {0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97, 98, 99, 99.5, 99.9,
                99.99, 100}) {
                ArrayNode pt = cdf.addArray();
                pt.add(p);
                pt.add(round3((p == 0 ? latency.getMinValue() : latency.getValueAtPercentile(p)) / 1000.0));
            }
        }
        o.put("gc_ms", probe.gcMillis);
        o.put("gc_count", probe.gcCount);
        o.put("gc_share", round3(probe.wallSeconds > 0 ? probe.gcMillis / 1000.0 / probe.wallSeconds : 0));
        o.put("heap_peak_mb", probe.heapPeakBytes >> 20);
        o.put("heap_committed_mb", probe.heapCommittedBytes >> 20);
        o.put("own_cores", round3(probe.ownCores));
        o.put("other_cores", round3(probe.otherCores));
        o.put("loadavg_before", loadBefore);
        o.put("loadavg_after", loadAfter);
        o.put("generate_s", round3(genSeconds));
        if (r0.startupSeconds > 0) {
            o.put("startup_s", round3(r0.startupSeconds));
        }
        o.put("jvm_flags", Machine.flags());
        System.out.println("RESULT " + om.writeValueAsString(o));
        System.out.flush();
        System.exit(0); // Flink's MiniCluster leaves non-daemon threads behind
    }

    private static void check(Rep want, Rep got, String what) {
        if (want.outputs != got.outputs || want.checksum != got.checksum) {
            System.out.println("MISMATCH " + what + ": " + got.outputs + " outputs, checksum "
                    + Checksums.hex(got.checksum) + "; first gave " + want.outputs + ", " + Checksums.hex(want.checksum));
            System.out.flush();
            System.exit(3);
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("expected key=value, got '" + s + "'");
            }
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }

    /** One repetition's outcome. */
    record Rep(long outputs, long checksum, double seconds, Histogram latency, double startupSeconds, LatencyTrace trace) {
        Rep(long outputs, long checksum, double seconds, Histogram latency, double startupSeconds) {
            this(outputs, checksum, seconds, latency, startupSeconds, null);
        }
    }

    /** Runs a contender's job once. */
    interface Runner {
        Rep run(long events, Pacing pacing, long latencyFromEnd) throws Exception;

        default long warmUpEvents(long events) {
            return events;
        }
    }

    static final class HandLoopRunner implements Runner {
        private final Workload w;
        private final Dataset a;
        private final Dataset b;

        HandLoopRunner(Workload w, Dataset a, Dataset b) {
            this.w = w;
            this.a = a;
            this.b = b;
        }

        @Override
        public Rep run(long events, Pacing pacing, long latencyFromEnd) {
            long t0 = System.nanoTime();
            long[] r = HandLoop.run(w, a, b, events);
            return new Rep(r[0], r[1], (System.nanoTime() - t0) / 1e9, null, 0);
        }
    }

    static final class StretchRunner implements Runner {
        private final Workload w;
        private final ExecutionMode mode;
        private final int threads;
        private final int splits;
        private final Dataset a;
        private final Dataset b;

        StretchRunner(Workload w, ExecutionMode mode, int threads, int splits, Dataset a, Dataset b) {
            this.w = w;
            this.mode = mode;
            this.threads = threads;
            this.splits = splits;
            this.a = a;
            this.b = b;
        }

        @Override
        public Rep run(long events, Pacing pacing, long latencyFromEnd) {
            OutputTally tally = OutputTally.begin(pacing, latencyFromEnd);
            long t0 = System.nanoTime();
            JobExecution job = StretchJobs.build(w, mode, threads, splits, a, b, events, tally)
                    .execute(w.id() + "-" + mode.name().toLowerCase(Locale.ROOT));
            long t1 = System.nanoTime();
            if (job.status() != JobExecution.Status.FINISHED) {
                throw new IllegalStateException("job ended " + job.status() + job.failure().map(f -> ": " + f).orElse(""));
            }
            long end = tally.lastCloseNanos() > 0 ? tally.lastCloseNanos() : t1;
            long start = tally.sourceStartNanos() > 0 ? tally.sourceStartNanos() : t0;
            return new Rep(tally.outputs(), tally.checksum(), (end - start) / 1e9, tally.latency(), (start - t0) / 1e9,
                    tally.trace());
        }
    }

    static final class FlinkRunner implements Runner {
        private final Workload w;
        private final int parallelism;
        private final Dataset a;
        private final Dataset b;
        private final long bufferTimeoutMs;
        private final long watermarkMs;

        FlinkRunner(Workload w, int parallelism, Dataset a, Dataset b, long bufferTimeoutMs, long watermarkMs) {
            this.w = w;
            this.parallelism = parallelism;
            this.a = a;
            this.b = b;
            this.bufferTimeoutMs = bufferTimeoutMs;
            this.watermarkMs = watermarkMs;
        }

        @Override
        public long warmUpEvents(long events) {
            return Math.max(1, events / 10);
        }

        @Override
        public Rep run(long events, Pacing pacing, long latencyFromEnd) throws Exception {
            OutputTally tally = OutputTally.begin(pacing, latencyFromEnd);
            StreamExecutionEnvironment env = FlinkJobs.environment(parallelism, bufferTimeoutMs, watermarkMs);
            FlinkJobs.build(env, w, parallelism, a, b, events);
            long t0 = System.nanoTime();
            env.execute(w.id() + "-flink");
            long t1 = System.nanoTime();
            long end = tally.lastCloseNanos() > 0 ? tally.lastCloseNanos() : t1;
            long start = tally.sourceStartNanos() > 0 ? tally.sourceStartNanos() : t0;
            return new Rep(tally.outputs(), tally.checksum(), (end - start) / 1e9, tally.latency(), (start - t0) / 1e9,
                    tally.trace());
        }
    }
}
