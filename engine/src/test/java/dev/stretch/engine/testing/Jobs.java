package dev.stretch.engine.testing;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.Aggregations;
import dev.stretch.api.DataStream;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.ArraySource.Timed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The jobs of the determinism and elasticity suites, each with an independent single-threaded reference
 * of what it must output: a keyed tumbling sum, a sliding-window average over object keys with a
 * generic aggregate, a sliding window join, and a three-stage pipeline (map, filter, two keyed
 * aggregates, a flatMap between them), and multi-key aggregates (each element counted for each of its
 * distinct keys: a tumbling count over long keys, a sliding average over object keys, some elements with
 * repeated keys or none), and theta joins (a band join on the values, {@code |a - b| <= 3} within 40 ms,
 * and a general predicate within 25 ms), and a sliding-window average over long keys with the built-in
 * primitive aggregate (panes merged through the key group's index of live keys).
 */
public final class Jobs {
    public static final String[] NAMES = {"tumbling-sum", "sliding-avg", "sliding-long-avg", "window-join", "pipeline-3",
        "multi-key-count", "multi-key-sliding", "band-join", "theta-join"};

    /** The theta joins (ScaleJoin): in SN mode their output has the same pairs, in another order within a timestamp. */
    public static boolean isThetaJoin(String job) {
        return job.equals("band-join") || job.equals("theta-join");
    }

    /** Whether a job joins two inputs (smaller inputs keep the suites' run times down). */
    public static boolean isJoin(String job) {
        return job.equals("window-join") || isThetaJoin(job);
    }

    private Jobs() {
    }

    /** Inputs of one run. */
    public record Input(List<List<Timed<Event>>> left, List<List<Timed<Event>>> right, long disorder) {
    }

    public static Input input(long seed, Workload.Keys keys, int keyCount, int perSplit, long disorder, int lateEvery) {
        return new Input(Workload.events(seed, 3, perSplit, keyCount, keys, disorder, lateEvery, 0),
                Workload.events(seed * 7919 + 1, 2, perSplit / 2, keyCount, keys, disorder, lateEvery, 0), disorder);
    }

    /** A configured run: job, mode, instance count of its keyed operators. */
    public record Run(String job, ExecutionMode mode, int parallelism) {
    }

    /** What a run produced. */
    public record Result(List<String> lines, JobExecution execution) {
    }

    /** Builds and starts the job; {@code whileRunning} gets the running execution (may rescale it). */
    public static Result run(Input in, Run r, long sourceSeed, Consumer<JobExecution> whileRunning) {
        return run(in, r, sourceSeed, whileRunning, 50, () -> true);
    }

    /**
     * As {@link #run(Input, Run, long, Consumer)}, with sources that report themselves idle about once in
     * {@code idleEvery} reads and stay open after their data until {@code mayEnd} says so.
     */
    public static Result run(Input in, Run r, long sourceSeed, Consumer<JobExecution> whileRunning, int idleEvery,
            java.util.function.BooleanSupplier mayEnd) {
        JobConfig cfg = JobConfig.builder().mode(r.mode()).defaultParallelism(r.parallelism()).batchSize(64)
                .ringBatches(8).build();
        StreamEnvironment env = StreamEnvironment.create(cfg);
        CollectingSink<Object> sink = new CollectingSink<>();
        WatermarkStrategy<Event> wm = in.disorder() == 0 ? WatermarkStrategy.forMonotonousTimestamps()
                : WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(in.disorder()));
        DataStream<Event> left = env.fromSource(new ArraySource<>(in.left(), sourceSeed, idleEvery, mayEnd), wm, "left")
                .setParallelism(in.left().size());
        switch (r.job()) {
            case "tumbling-sum" -> left.keyByLong(Event::key)
                    .window(Windows.tumblingMillis(100))
                    .aggregate(Aggregations.sum(Event::value))
                    .name("agg").setParallelism(r.parallelism())
                    .map(x -> (Object) x)
                    .sinkTo(sink).disableChaining();
            case "sliding-avg" -> left.keyBy(e -> "k" + e.key())
                    .window(Windows.slidingMillis(200, 50))
                    .aggregate(new Avg(), (k, w, a) -> k + "|" + w.start() + "|" + w.end() + "|" + a)
                    .name("agg").setParallelism(r.parallelism())
                    .map(x -> (Object) x)
                    .sinkTo(sink).disableChaining();
            case "sliding-long-avg" -> left.keyByLong(Event::key)
                    .window(Windows.slidingMillis(200, 50))
                    .aggregate(Aggregations.avg(Event::value))
                    .name("agg").setParallelism(r.parallelism())
                    .map(x -> (Object) x)
                    .sinkTo(sink).disableChaining();
            case "window-join" -> {
                DataStream<Event> right = env.fromSource(new ArraySource<>(in.right(), sourceSeed + 1, idleEvery, mayEnd), wm, "right")
                        .setParallelism(in.right().size());
                left.join(right).whereLong(Event::key).equalToLong(Event::key)
                        .window(Windows.slidingMillis(100, 50))
                        .apply((a, b) -> (Object) (a.key() + ":" + a.ts() + ":" + a.value() + "|" + b.ts() + ":" + b.value()))
                        .name("agg").setParallelism(r.parallelism())
                        .sinkTo(sink).disableChaining();
            }
            case "multi-key-count" -> left.keyByManyLong((Event e, dev.stretch.api.LongKeyCollector out) -> {
                        for (long k : longKeys(e)) {
                            out.collect(k);
                        }
                    })
                    .window(Windows.tumblingMillis(100))
                    .aggregate(Aggregations.count())
                    .name("agg").setParallelism(r.parallelism())
                    .map(x -> (Object) x)
                    .sinkTo(sink).disableChaining();
            case "multi-key-sliding" -> left.keyByMany((Event e, dev.stretch.api.Collector<String> out) -> {
                        for (String k : objectKeys(e)) {
                            out.collect(k);
                        }
                    })
                    .window(Windows.slidingMillis(200, 50))
                    .aggregate(new Avg(), (k, w, a) -> k + "|" + w.start() + "|" + w.end() + "|" + a)
                    .name("agg").setParallelism(r.parallelism())
                    .map(x -> (Object) x)
                    .sinkTo(sink).disableChaining();
            case "band-join", "theta-join" -> {
                DataStream<Event> right = env.fromSource(new ArraySource<>(in.right(), sourceSeed + 1, idleEvery, mayEnd), wm, "right")
                        .setParallelism(in.right().size());
                var joined = left.join(right);
                var within = r.job().equals("band-join")
                        ? joined.onBand(a -> (double) a.value(), b -> (double) b.value(), BAND).withinMillis(BAND_WITHIN)
                        : joined.on(Jobs::thetaMatch).withinMillis(THETA_WITHIN);
                within.apply((a, b) -> (Object) (a.ts() + ":" + a.key() + ":" + a.value() + "|" + b.ts() + ":" + b.key() + ":" + b.value()))
                        .name("agg").setParallelism(r.parallelism())
                        .sinkTo(sink).disableChaining();
            }
            case "pipeline-3" -> left.map(e -> new Event(e.ts(), e.key(), e.value() * 2 + 1)).name("double")
                    .filter(e -> e.value() % 3 != 0).name("drop-thirds")
                    .keyByLong(Event::key)
                    .window(Windows.tumblingMillis(100))
                    .aggregate(Aggregations.sum(Event::value))
                    .name("agg").setParallelism(r.parallelism())
                    .<Event>flatMap((res, out) -> {
                        out.collect(new Event(res.end() - 1, res.key() % 10, res.value()));
                        if (res.value() % 2 == 1) {
                            out.collect(new Event(res.end() - 1, res.key() % 10 + 100, 1));
                        }
                    }).name("fan")
                    .keyByLong(Event::key)
                    .window(Windows.tumblingMillis(300))
                    .aggregate(Aggregations.sum(Event::value))
                    .name("agg2").setParallelism(Math.max(1, (r.parallelism() * 5) % 9))
                    .map(x -> (Object) x)
                    .sinkTo(sink).disableChaining();
            default -> throw new IllegalArgumentException(r.job());
        }
        JobExecution exec = env.start(r.job());
        whileRunning.accept(exec);
        exec.awaitTermination();
        return new Result(sink.lines(), exec);
    }

    /**
     * The keys the multi-key jobs give an element, as the selector emits them: its own key, a coarse one
     * shared by many elements, and now and then its key again (counted once) or no keys at all.
     */
    public static long[] longKeys(Event e) {
        if (e.value() % 11 == 0) {
            return new long[0];
        }
        return e.value() % 3 == 0 ? new long[] {e.key(), e.key() % 17 + 1000, e.key()}
                : new long[] {e.key(), e.key() % 17 + 1000, e.key() + 2000};
    }

    public static String[] objectKeys(Event e) {
        if (e.value() % 13 == 0) {
            return new String[0];
        }
        return e.value() % 4 == 0 ? new String[] {"k" + e.key(), "k" + e.key()}
                : new String[] {"k" + e.key(), "m" + e.key() % 13, "v" + e.value() % 7};
    }

    static final double BAND = 3;
    static final long BAND_WITHIN = 40;
    static final long THETA_WITHIN = 25;

    /** The theta join's predicate: a non-equi condition on both elements. */
    static boolean thetaMatch(Event a, Event b) {
        return a.key() < b.key() && (a.value() + b.value()) % 50 == 0;
    }

    /** Distinct keys in first-seen order. */
    static <K> List<K> distinct(K[] keys) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(List.of(keys)));
    }

    /** A generic average (sum and count) whose result is an exact fraction. */
    static final class Avg implements AggregateFunction<Event, long[], String> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(Event value, long[] acc) {
            acc[0] += value.value();
            acc[1]++;
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }

        @Override
        public String getResult(long[] acc) {
            return acc[0] + "/" + acc[1];
        }
    }

    // ------------------------------------------------------------------ references

    /** The expected output of a job as a sorted multiset of "timestamp element" lines. */
    public static List<String> reference(String job, Input in) {
        List<Event> left = live(in.left(), in.disorder());
        List<String> out = new ArrayList<>();
        switch (job) {
            case "tumbling-sum" -> {
                Map<List<Long>, Long> sums = new LinkedHashMap<>();
                for (Event e : left) {
                    long end = Math.floorDiv(e.ts(), 100) * 100 + 100;
                    sums.merge(List.of(e.key(), end), e.value(), Long::sum);
                }
                sums.forEach((k, v) -> out.add((k.get(1) - 1) + " " + new WindowResult<>(k.get(0), k.get(1) - 100, k.get(1), v)));
            }
            case "multi-key-count" -> {
                Map<List<Long>, Long> counts = new LinkedHashMap<>();
                for (Event e : left) {
                    long end = Math.floorDiv(e.ts(), 100) * 100 + 100;
                    for (long k : java.util.Arrays.stream(longKeys(e)).distinct().toArray()) {
                        counts.merge(List.of(k, end), 1L, Long::sum);
                    }
                }
                counts.forEach((k, v) -> out.add((k.get(1) - 1) + " " + new WindowResult<>(k.get(0), k.get(1) - 100, k.get(1), v)));
            }
            case "multi-key-sliding" -> {
                Map<List<Object>, long[]> acc = new HashMap<>();
                for (Event e : left) {
                    for (String key : distinct(objectKeys(e))) {
                        for (long s = Math.floorDiv(e.ts(), 50) * 50; s > e.ts() - 200; s -= 50) {
                            long[] a = acc.computeIfAbsent(List.of(key, s), x -> new long[2]);
                            a[0] += e.value();
                            a[1]++;
                        }
                    }
                }
                acc.forEach((k, a) -> out.add(((long) k.get(1) + 199) + " " + k.get(0) + "|" + k.get(1) + "|"
                        + ((long) k.get(1) + 200) + "|" + a[0] + "/" + a[1]));
            }
            case "sliding-avg" -> {
                Map<List<Object>, long[]> acc = new HashMap<>();
                for (Event e : left) {
                    for (long s = Math.floorDiv(e.ts(), 50) * 50; s > e.ts() - 200; s -= 50) {
                        long[] a = acc.computeIfAbsent(List.of("k" + e.key(), s), x -> new long[2]);
                        a[0] += e.value();
                        a[1]++;
                    }
                }
                acc.forEach((k, a) -> out.add(((long) k.get(1) + 199) + " " + k.get(0) + "|" + k.get(1) + "|"
                        + ((long) k.get(1) + 200) + "|" + a[0] + "/" + a[1]));
            }
            case "sliding-long-avg" -> {
                Map<List<Long>, long[]> acc = new HashMap<>();
                for (Event e : left) {
                    for (long s = Math.floorDiv(e.ts(), 50) * 50; s > e.ts() - 200; s -= 50) {
                        long[] a = acc.computeIfAbsent(List.of(e.key(), s), x -> new long[2]);
                        a[0] += e.value();
                        a[1]++;
                    }
                }
                acc.forEach((k, a) -> out.add((k.get(1) + 199) + " "
                        + new WindowResult<>(k.get(0), k.get(1), k.get(1) + 200, (double) a[0] / a[1])));
            }
            case "window-join" -> {
                List<Event> right = live(in.right(), in.disorder());
                Map<List<Long>, List<Event>> lw = new HashMap<>();
                for (Event e : left) {
                    for (long s = Math.floorDiv(e.ts(), 50) * 50; s > e.ts() - 100; s -= 50) {
                        lw.computeIfAbsent(List.of(e.key(), s), x -> new ArrayList<>()).add(e);
                    }
                }
                for (Event b : right) {
                    for (long s = Math.floorDiv(b.ts(), 50) * 50; s > b.ts() - 100; s -= 50) {
                        for (Event a : lw.getOrDefault(List.of(b.key(), s), List.of())) {
                            out.add((s + 99) + " " + a.key() + ":" + a.ts() + ":" + a.value() + "|" + b.ts() + ":" + b.value());
                        }
                    }
                }
            }
            case "band-join", "theta-join" -> {
                List<Event> right = live(in.right(), in.disorder());
                boolean band = job.equals("band-join");
                long within = band ? BAND_WITHIN : THETA_WITHIN;
                for (Event a : left) {
                    for (Event b : right) {
                        if (Math.abs(a.ts() - b.ts()) > within) {
                            continue;
                        }
                        if (band ? Math.abs(a.value() - b.value()) <= BAND : thetaMatch(a, b)) {
                            out.add(Math.max(a.ts(), b.ts()) + " " + a.ts() + ":" + a.key() + ":" + a.value() + "|" + b.ts()
                                    + ":" + b.key() + ":" + b.value());
                        }
                    }
                }
            }
            case "pipeline-3" -> {
                Map<List<Long>, Long> first = new LinkedHashMap<>();
                for (Event e : left) {
                    long v = e.value() * 2 + 1;
                    if (v % 3 == 0) {
                        continue;
                    }
                    long end = Math.floorDiv(e.ts(), 100) * 100 + 100;
                    first.merge(List.of(e.key(), end), v, Long::sum);
                }
                Map<List<Long>, Long> second = new LinkedHashMap<>();
                first.forEach((k, v) -> {
                    long ts = k.get(1) - 1;
                    long end = Math.floorDiv(ts, 300) * 300 + 300;
                    second.merge(List.of(k.get(0) % 10, end), v, Long::sum);
                    if (v % 2 == 1) {
                        second.merge(List.of(k.get(0) % 10 + 100, end), 1L, Long::sum);
                    }
                });
                second.forEach((k, v) -> out.add((k.get(1) - 1) + " "
                        + new WindowResult<>(k.get(0), k.get(1) - 300, k.get(1), v)));
            }
            default -> throw new IllegalArgumentException(job);
        }
        out.sort(null);
        return out;
    }

    /** Elements that are not late, in any order. */
    public static List<Event> live(List<List<Timed<Event>>> splits, long disorder) {
        List<Event> out = new ArrayList<>();
        for (List<Timed<Event>> s : splits) {
            boolean[] late = Workload.lateFlags(s, disorder);
            for (int i = 0; i < s.size(); i++) {
                if (!late[i]) {
                    out.add(s.get(i).value());
                }
            }
        }
        return out;
    }

    public static long lateCount(List<List<Timed<Event>>> splits, long disorder) {
        long n = 0;
        for (List<Timed<Event>> s : splits) {
            for (boolean b : Workload.lateFlags(s, disorder)) {
                if (b) {
                    n++;
                }
            }
        }
        return n;
    }
}
