package dev.stretch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Several built-in aggregates over one window ({@link Aggregations#of}) and results of long-keyed
 * aggregations without a boxed key ({@link LongWindowedStream}): against a brute-force reference, over
 * tumbling and sliding windows (panes merged), in both modes and at several parallelisms.
 */
class CompositeAggregationTest {
    private static final long SIZE = 300;
    private static final long SLIDE = 100;

    private static List<List<Timed<Event>>> input(long seed) {
        Random rnd = new Random(seed);
        List<List<Timed<Event>>> splits = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            List<Timed<Event>> l = new ArrayList<>();
            long ts = 0;
            for (int i = 0; i < 6000; i++) {
                ts += rnd.nextInt(3);
                Event e = new Event(ts, rnd.nextInt(50), rnd.nextInt(2001) - 1000);
                l.add(new Timed<>(ts, e));
            }
            splits.add(l);
        }
        return splits;
    }

    /** key@end -> {count, sum, min, max} over sliding windows of SIZE every SLIDE. */
    private static Map<String, long[]> reference(List<List<Timed<Event>>> splits) {
        Map<String, long[]> m = new TreeMap<>();
        for (List<Timed<Event>> s : splits) {
            for (Timed<Event> t : s) {
                Event e = t.value();
                for (long start = Math.floorDiv(e.ts(), SLIDE) * SLIDE; start > e.ts() - SIZE; start -= SLIDE) {
                    long[] a = m.computeIfAbsent(e.key() + "@" + (start + SIZE),
                            k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                    a[0]++;
                    a[1] += e.value();
                    a[2] = Math.min(a[2], e.value());
                    a[3] = Math.max(a[3], e.value());
                }
            }
        }
        return m;
    }

    private static String expectedLine(long[] a) {
        return a[0] + " " + a[1] + " " + a[2] + " " + a[3] + " " + ((double) a[1] / a[0]);
    }

    @ParameterizedTest(name = "{0} with {1} instances")
    @CsvSource({"VSN, 1", "VSN, 3", "SN, 2"})
    void shouldComputeCountSumMinMaxAvgTogetherOverLongKeys(ExecutionMode mode, int parallelism) {
        List<List<Timed<Event>>> in = input(7);
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).batchSize(64).build());
        CollectingSink<String> sink = new CollectingSink<>();
        AtomicInteger snapshots = new AtomicInteger();
        env.fromSource(new ArraySource<>(in, 3), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .setParallelism(2)
                .keyByLong(Event::key)
                .window(Windows.slidingMillis(SIZE, SLIDE))
                .aggregateWithLongKey(Aggregations.of(Aggregations.count(), Aggregations.sum(Event::value),
                        Aggregations.min(Event::value), Aggregations.max(Event::value), Aggregations.avg(Event::value)),
                        (long key, TimeWindow w, AggregateValues v) -> {
                            if (v instanceof AggregateValues.Snapshot) {
                                snapshots.incrementAndGet(); // a generic accumulator per key: not the fast path
                            }
                            return key + "@" + w.end() + "=" + v.getLong(0) + " " + v.getLong(1) + " " + v.getLong(2)
                                    + " " + v.getLong(3) + " " + v.getDouble(4) + " n=" + v.count();
                        })
                .name("stats").setParallelism(parallelism)
                .sinkTo(sink).setParallelism(1);
        env.execute("composite");

        Map<String, String> expected = new TreeMap<>();
        reference(in).forEach((k, a) -> expected.put(k, expectedLine(a) + " n=" + a[0]));
        Map<String, String> got = new TreeMap<>();
        for (String line : sink.values()) {
            String[] kv = line.split("=", 2);
            assertThat(got.put(kv[0], kv[1])).as("one result per key and window: %s", kv[0]).isNull();
        }
        assertThat(got).isEqualTo(expected);
        assertThat(snapshots).as("results read from primitive state, not generic accumulators").hasValue(0);
    }

    @Test
    void shouldComputeCompositeOverObjectKeysWithAndWithoutAResultFunction() {
        List<List<Timed<Event>>> in = input(11);
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(2).build());
        CollectingSink<String> viaFunction = new CollectingSink<>();
        CollectingSink<WindowResult<String, AggregateValues>> plain = new CollectingSink<>();
        CompositeAggregation<Event> stats = Aggregations.of(Aggregations.count(), Aggregations.sum(Event::value),
                Aggregations.min(Event::value), Aggregations.max(Event::value), Aggregations.avg(Event::value));
        DataStream<Event> events = env.fromSource(new ArraySource<>(in, 3), WatermarkStrategy.forMonotonousTimestamps(),
                "events").setParallelism(2);
        events.keyBy(e -> "k" + e.key())
                .window(Windows.slidingMillis(SIZE, SLIDE))
                .aggregate(stats, (key, w, v) -> key.substring(1) + "@" + w.end() + "=" + v.getLong(0) + " "
                        + v.getLong(1) + " " + v.getLong(2) + " " + v.getLong(3) + " " + v.getDouble(4))
                .name("with-function")
                .sinkTo(viaFunction).setParallelism(1);
        events.keyBy(e -> "k" + e.key())
                .window(Windows.slidingMillis(SIZE, SLIDE))
                .aggregate(stats)
                .name("plain")
                .sinkTo(plain).setParallelism(1);
        env.execute("composite-object-keys");

        Map<String, String> expected = new TreeMap<>();
        reference(in).forEach((k, a) -> expected.put(k, expectedLine(a)));
        Map<String, String> got = new TreeMap<>();
        for (String line : viaFunction.values()) {
            String[] kv = line.split("=", 2);
            got.put(kv[0], kv[1]);
        }
        assertThat(got).isEqualTo(expected);
        Map<String, String> gotPlain = new TreeMap<>();
        for (WindowResult<String, AggregateValues> r : plain.values()) {
            AggregateValues v = r.value();
            assertThat(v).isInstanceOf(AggregateValues.Snapshot.class); // kept after the call: a copy
            gotPlain.put(r.key().substring(1) + "@" + r.end(), v.getLong(0) + " " + v.getLong(1) + " " + v.getLong(2)
                    + " " + v.getLong(3) + " " + v.getDouble(4));
        }
        assertThat(gotPlain).isEqualTo(expected);
    }

    @Test
    void shouldEmitPrimitiveLongKeyedResults() {
        List<List<Timed<Event>>> in = input(5);
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(2).build());
        CollectingSink<LongWindowResult> counts = new CollectingSink<>();
        CollectingSink<LongWindowResult> maxima = new CollectingSink<>();
        CollectingSink<DoubleWindowResult> averages = new CollectingSink<>();
        DataStream<Event> events = env.fromSource(new ArraySource<>(in, 3), WatermarkStrategy.forMonotonousTimestamps(),
                "events").setParallelism(2);
        WindowedOperator<LongWindowResult> c = events.keyByLong(Event::key).window(Windows.slidingMillis(SIZE, SLIDE))
                .count();
        c.name("count").sinkTo(counts);
        events.keyByLong(Event::key).window(Windows.slidingMillis(SIZE, SLIDE)).max(Event::value).name("max")
                .sinkTo(maxima);
        events.keyByLong(Event::key).window(Windows.slidingMillis(SIZE, SLIDE)).avg(Event::value).name("avg")
                .sinkTo(averages);
        env.execute("long-results");

        Map<String, long[]> ref = reference(in);
        Map<String, Long> gotCounts = new TreeMap<>();
        for (LongWindowResult r : counts.values()) {
            assertThat(r.end() - r.start()).isEqualTo(SIZE);
            gotCounts.put(r.key() + "@" + r.end(), r.value());
        }
        Map<String, Long> expCounts = new TreeMap<>();
        ref.forEach((k, a) -> expCounts.put(k, a[0]));
        assertThat(gotCounts).isEqualTo(expCounts);
        Map<String, Long> gotMax = new TreeMap<>();
        maxima.values().forEach(r -> gotMax.put(r.key() + "@" + r.end(), r.value()));
        Map<String, Long> expMax = new TreeMap<>();
        ref.forEach((k, a) -> expMax.put(k, a[3]));
        assertThat(gotMax).isEqualTo(expMax);
        Map<String, Double> gotAvg = new TreeMap<>();
        averages.values().forEach(r -> gotAvg.put(r.key() + "@" + r.end(), r.value()));
        Map<String, Double> expAvg = new TreeMap<>();
        ref.forEach((k, a) -> expAvg.put(k, (double) a[1] / a[0]));
        assertThat(gotAvg).isEqualTo(expAvg);
    }

    @ParameterizedTest(name = "multi-key, {0} with {1} instances")
    @CsvSource({"VSN, 1", "VSN, 3", "SN, 2"})
    void shouldAggregateEveryKeyOfAMultiKeyElementOnPrimitiveState(ExecutionMode mode, int parallelism) {
        List<List<Timed<Event>>> in = input(13);
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).batchSize(64).build());
        CollectingSink<String> stats = new CollectingSink<>();
        CollectingSink<LongWindowResult> counts = new CollectingSink<>();
        DataStream<Event> events = env.fromSource(new ArraySource<>(in, 3), WatermarkStrategy.forMonotonousTimestamps(),
                "events").setParallelism(2);
        LongMultiKeySelector<Event> keys = (e, out) -> { // the key and its "decade"; one distinct key when equal
            out.collect(e.key());
            out.collect(e.key() / 10);
        };
        events.keyByManyLong(keys).window(Windows.slidingMillis(SIZE, SLIDE))
                .aggregateWithLongKey(Aggregations.of(Aggregations.count(), Aggregations.sum(Event::value),
                        Aggregations.min(Event::value), Aggregations.max(Event::value), Aggregations.avg(Event::value)),
                        (long key, TimeWindow w, AggregateValues v) -> key + "@" + w.end() + "=" + v.getLong(0) + " "
                                + v.getLong(1) + " " + v.getLong(2) + " " + v.getLong(3) + " " + v.getDouble(4))
                .name("stats").setParallelism(parallelism)
                .sinkTo(stats);
        events.keyByManyLong(keys).window(Windows.slidingMillis(SIZE, SLIDE)).count().name("counts")
                .setParallelism(parallelism)
                .sinkTo(counts);
        env.execute("composite-multi-key");

        Map<String, long[]> ref = new TreeMap<>();
        for (List<Timed<Event>> s : in) {
            for (Timed<Event> t : s) {
                Event e = t.value();
                for (long k : new java.util.TreeSet<>(List.of(e.key(), e.key() / 10))) {
                    for (long start = Math.floorDiv(e.ts(), SLIDE) * SLIDE; start > e.ts() - SIZE; start -= SLIDE) {
                        long[] a = ref.computeIfAbsent(k + "@" + (start + SIZE),
                                x -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                        a[0]++;
                        a[1] += e.value();
                        a[2] = Math.min(a[2], e.value());
                        a[3] = Math.max(a[3], e.value());
                    }
                }
            }
        }
        Map<String, String> expected = new TreeMap<>();
        ref.forEach((k, a) -> expected.put(k, expectedLine(a)));
        Map<String, String> got = new TreeMap<>();
        for (String line : stats.values()) {
            String[] kv = line.split("=", 2);
            assertThat(got.put(kv[0], kv[1])).as("one result per key and window: %s", kv[0]).isNull();
        }
        assertThat(got).isEqualTo(expected);
        Map<String, Long> gotCounts = new TreeMap<>();
        counts.values().forEach(r -> gotCounts.put(r.key() + "@" + r.end(), r.value()));
        Map<String, Long> expCounts = new TreeMap<>();
        ref.forEach((k, a) -> expCounts.put(k, a[0]));
        assertThat(gotCounts).isEqualTo(expCounts);
    }

    @Test
    void shouldRefuseALongReadOfADoubleAggregateAndAnEmptyComposite() {
        assertThatThrownBy(() -> Aggregations.<Event>of())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        CompositeAggregation<Event> c = Aggregations.of(Aggregations.count(), Aggregations.avg(Event::value));
        Object[] acc = c.createAccumulator();
        try {
            c.add(new Event(0, 1, 4), acc);
            c.add(new Event(0, 1, 5), acc);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        AggregateValues v = c.getResult(acc);
        assertThat(v.getLong(0)).isEqualTo(2);
        assertThat(v.getDouble(1)).isEqualTo(4.5);
        assertThat(v.count()).isEqualTo(2);
        assertThatThrownBy(() -> v.getLong(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("getDouble");
    }
}
