package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stretch.api.Aggregations;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.engine.esg.GateMembership;
import dev.stretch.engine.exec.JobRunner;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Reconfiguration soak: thousands of random reconfigurations of a running job under full load, checking
 * that nothing accumulates and nothing changes the output.
 *
 * <p>Job: an unpaced generator (2 splits, a hot key: half the events have key 0, the rest are uniform over
 * 10 000 keys) → keyed 100 ms sum {@code first} → re-keyed ({@code key mod 100}) 1 s sum {@code second} →
 * one sink that folds an order-sensitive hash of everything it receives. Each step picks one of the two
 * keyed operators and a new instance count in 1..16 at random (seeded) and reconfigures it; the engine
 * measures request-to-active time.
 *
 * <p>Reported ({@code reconfiguration_soak} in {@code latest.json}): reconfiguration latency p50/p99/max;
 * heap after GC at the start (after warm-up) and at the end (after the last reconfiguration), plus samples
 * in between; {@code excess_gate_members}: writers and readers still in any gate beyond what the final
 * instance counts need (closed writers, surplus open writers, surplus readers), after up to 30 s for them to
 * be drained; {@code output_identical}: the sink's count and ordered hash equal those of a one-thread run
 * over exactly the events the soak's sources emitted.
 *
 * <p>Usage: {@code ReconfigurationSoak [reconfigurations] [resultsDir] [seed]}.
 */
public final class ReconfigurationSoak {
    private static final long WARMUP_MILLIS = 3000;
    private static final int KEYS = 10_000;
    private static final long EVENTS_PER_MS = 100;
    private static final int SPLITS = 2;
    private static final int MAX_INSTANCES = 16;
    private static final long SEED = 2026;

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path results = Path.of(args.length > 1 ? args[1] : "bench/results");
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        Files.createDirectories(results);
        String loadBefore = JvmProbe.loadAverage();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLongArray emitted = new AtomicLongArray(SPLITS);
        OrderedHash soakOut = new OrderedHash();
        JobExecution job = build(new HotKeySource(stop, emitted, null), soakOut, 1).start("reconfiguration-soak");
        JobRunner runner = (JobRunner) job;
        Thread.sleep(WARMUP_MILLIS);
        long heapStart = heapAfterGc();
        say("warm-up done; heap after GC " + (heapStart >> 20) + " MiB; " + total + " reconfigurations follow");

        SplittableRandom rnd = new SplittableRandom(seed);
        String[] ops = {"first", "second"};
        int[] current = {1, 1};
        Histogram latency = new Histogram(3);
        List<long[]> heapSamples = new ArrayList<>(); // {reconfigurations done, heap bytes}
        heapSamples.add(new long[] {0, heapStart});
        long t0 = System.nanoTime();
        int sampleEvery = Math.max(1, total / 10);
        for (int k = 1; k <= total; k++) {
            int op = rnd.nextInt(ops.length);
            int n;
            do {
                n = 1 + rnd.nextInt(MAX_INSTANCES);
            } while (n == current[op]);
            ReconfigurationResult r = job.reconfigure(ops[op], n);
            current[op] = n;
            latency.recordValue(Math.max(1, r.durationNanos() / 1000));
            if (k % sampleEvery == 0 && k < total) {
                long h = heapAfterGc();
                heapSamples.add(new long[] {k, h});
                say(String.format(Locale.ROOT, "%6d reconfigurations, %.1f s, p99 so far %.2f ms, heap after GC %d MiB,"
                        + " gates %s", k, (System.nanoTime() - t0) / 1e9, latency.getValueAtPercentile(99) / 1000.0,
                        h >> 20, runner.gateMemberships()));
            }
        }
        double soakSeconds = (System.nanoTime() - t0) / 1e9;

        // Let removed instances' writers drain out of the gates, then count what is left beyond the need.
        long settle0 = System.nanoTime();
        Excess excess = excess(runner.gateMemberships(), current[0], current[1]);
        while (excess.surplus() > 0 && System.nanoTime() - settle0 < 30_000_000_000L) {
            Thread.sleep(50);
            excess = excess(runner.gateMemberships(), current[0], current[1]);
        }
        double settleSeconds = (System.nanoTime() - settle0) / 1e9;
        long heapEnd = heapAfterGc();
        heapSamples.add(new long[] {total, heapEnd});
        List<GateMembership> finalGates = runner.gateMemberships();
        say("after " + total + " reconfigurations: gates " + finalGates + "; heap after GC " + (heapEnd >> 20) + " MiB");

        stop.set(true);
        if (!job.awaitTermination(Duration.ofSeconds(120))) {
            throw new IllegalStateException("the soak job did not finish within 120 s of its sources stopping:\n"
                    + runner.describe());
        }
        long[] perSplit = new long[SPLITS];
        for (int s = 0; s < SPLITS; s++) {
            perSplit[s] = emitted.get(s);
        }
        say("sources emitted " + java.util.Arrays.toString(perSplit) + " events; reference run at one thread");
        OrderedHash refOut = new OrderedHash();
        long r0 = System.nanoTime();
        build(new HotKeySource(null, new AtomicLongArray(SPLITS), perSplit), refOut, 1).execute("reconfiguration-soak-ref");
        double refSeconds = (System.nanoTime() - r0) / 1e9;
        boolean identical = soakOut.count == refOut.count && soakOut.hash == refOut.hash;
        String loadAfter = JvmProbe.loadAverage();

        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = om.createObjectNode();
        o.put("reconfigurations", total);
        o.put("p50_ms", round(latency.getValueAtPercentile(50) / 1000.0));
        o.put("p99_ms", round(latency.getValueAtPercentile(99) / 1000.0));
        o.put("max_ms", round(latency.getMaxValue() / 1000.0));
        o.put("heap_start_mb", heapStart >> 20);
        o.put("heap_end_mb", heapEnd >> 20);
        o.put("excess_gate_members", excess.surplus());
        o.put("output_identical", identical);
        ObjectNode d = o.putObject("detail");
        ArrayNode hs = d.putArray("heap_after_gc_mb");
        for (long[] h : heapSamples) {
            hs.addArray().add(h[0]).add(h[1] >> 20);
        }
        d.put("missing_gate_members", excess.missing());
        d.put("final_instances_first", current[0]);
        d.put("final_instances_second", current[1]);
        d.put("final_gates", finalGates.toString());
        d.put("settle_s", round(settleSeconds));
        d.put("soak_s", round(soakSeconds));
        d.put("events", perSplit[0] + perSplit[1]);
        d.put("outputs", soakOut.count);
        d.put("reference_outputs", refOut.count);
        d.put("reference_s", round(refSeconds));
        d.put("job", "generator (2 splits, unpaced, hot key: half the events key 0, rest uniform over 10k keys) -> "
                + "keyed 100 ms sum 'first' -> key mod 100, 1 s sum 'second' -> 1 sink; each step rescales one of "
                + "the two to a random 1..16 (seed " + seed + ")");
        d.put("machine", Machine.describe());
        d.put("loadavg_before", loadBefore);
        d.put("loadavg_after", loadAfter);
        d.put("command", "bench/run --only soak" + (total != 10_000 ? " --soak-reconfigurations " + total : ""));
        Results.put(results, "reconfiguration_soak", o);

        String md = String.format(Locale.ROOT, "## Reconfiguration soak%n%nCommand: `%s`. Machine: %s. Load average "
                + "before/after: %s / %s.%n%n%s.%n%n| reconfigurations | p50 ms | p99 ms | max ms | heap start MiB | "
                + "heap end MiB | excess gate members | output identical |%n|---:|---:|---:|---:|---:|---:|---:|---|%n"
                + "| %d | %.3f | %.3f | %.3f | %d | %d | %d | %s |%n%nHeap after GC along the way (reconfigurations, MiB): "
                + "%s. Final instances: first %d, second %d; gates %s (settled in %.1f s). Events: %d; outputs: %d "
                + "(one-thread reference: %d, %.1f s).%n", d.get("command").asText(), Machine.describe(), loadBefore,
                loadAfter, d.get("job").asText(), total, latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0, heapStart >> 20, heapEnd >> 20,
                excess.surplus(), identical, hs, current[0], current[1], finalGates, settleSeconds,
                perSplit[0] + perSplit[1], soakOut.count, refOut.count, refSeconds);
        Files.writeString(results.resolve("reconfiguration-soak.md"), md);
        System.out.print(md);
        if (!identical || excess.surplus() != 0 || excess.missing() != 0) {
            System.exit(2);
        }
    }

    /** The job; {@code parallelism} instances for both keyed operators at the start. */
    static StreamEnvironment build(Source<Event> source, OrderedHash out, int parallelism) {
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().maxInstances(MAX_INSTANCES)
                .defaultParallelism(parallelism).build());
        env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "events").setParallelism(SPLITS)
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.sum(Event::value))
                .name("first")
                .keyByLong(r -> r.key() % 100)
                .window(Windows.tumblingMillis(1000))
                .aggregate(Aggregations.<WindowResult<Long, Long>>sum(WindowResult::value))
                .name("second")
                .sinkTo(out).name("out").disableChaining(); // one writer, output in one deterministic order
        return env;
    }

    /** What the gates hold beyond (surplus) or short of (missing) what the final instance counts need. */
    record Excess(long surplus, long missing) {
    }

    static Excess excess(List<GateMembership> gates, int first, int second) {
        long surplus = 0;
        long missing = 0;
        for (GateMembership g : gates) {
            int writers;
            int readers;
            switch (g.gate()) {
                case "first" -> {
                    writers = SPLITS;
                    readers = first;
                }
                case "second" -> {
                    writers = first;
                    readers = second;
                }
                case "out" -> {
                    writers = second;
                    readers = 1;
                }
                default -> throw new IllegalStateException("unexpected gate " + g);
            }
            surplus += g.closedWriters() + Math.max(0, g.openWriters() - writers) + Math.max(0, g.readers() - readers);
            missing += Math.max(0, writers - g.openWriters()) + Math.max(0, readers - g.readers());
        }
        return new Excess(surplus, missing);
    }

    /**
     * Live heap: a full collection, then what each heap pool held right after it. (Heap used read after
     * the collection would also count the allocation buffers the running job takes at once: with an 8 GB
     * heap, hundreds of MiB.)
     */
    private static long heapAfterGc() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
                used += p.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }

    /**
     * The generator: split {@code s} emits event {@code i} at {@code i / 100} ms with key 0 for half the
     * events (chosen by hash) and otherwise a uniform key, and a value, all from (seed, split, i) alone. Runs
     * until {@code stop} (then records how far each split got), or exactly {@code limits[s]} events.
     */
    static final class HotKeySource implements Source<Event> {
        private final AtomicBoolean stop;
        private final AtomicLongArray emitted;
        private final long[] limits;

        HotKeySource(AtomicBoolean stop, AtomicLongArray emitted, long[] limits) {
            this.stop = stop;
            this.emitted = emitted;
            this.limits = limits;
        }

        @Override
        public boolean isBounded() {
            return limits != null;
        }

        @Override
        public SplitReader<Event> createReader(int split, int splitCount) {
            EventGenerator g = new EventGenerator(SEED + split, KEYS, false);
            long limit = limits == null ? Long.MAX_VALUE : limits[split];
            return new SplitReader<>() {
                long i;

                @Override
                public ReadResult read(dev.stretch.api.SourceOutput<Event> out) {
                    if (i >= limit || (stop != null && stop.get())) {
                        emitted.set(split, i);
                        return ReadResult.end();
                    }
                    long end = Math.min(limit, i + 4096);
                    for (; i < end; i++) {
                        long ts = i / EVENTS_PER_MS;
                        long key = (EventGenerator.mix64(SEED * 31 + split * 0x9E3779B97F4A7C15L + i) & 1) == 0 ? 0 : g.key(i);
                        out.collect(new Event(ts, key, g.value(i)), ts);
                    }
                    emitted.set(split, i);
                    return ReadResult.more();
                }
            };
        }
    }

    /** A sink (one instance) folding an order-sensitive hash of what it receives. */
    static final class OrderedHash implements Sink<Object> {
        volatile long hash;
        volatile long count;

        @Override
        public SinkWriter<Object> createWriter(int instance) {
            return new SinkWriter<>() {
                long h = 17;
                long n;

                @Override
                public void write(Object element, long timestamp) {
                    @SuppressWarnings("unchecked")
                    WindowResult<Long, Long> r = (WindowResult<Long, Long>) element;
                    h = h * 0x9E3779B97F4A7C15L + Checksums.of(r.end(), r.key(), r.value()) + timestamp;
                    n++;
                }

                @Override
                public void close() {
                    hash = h;
                    count = n;
                }
            };
        }
    }
}
