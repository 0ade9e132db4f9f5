package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.Aggregations;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keyed tumbling windows whose ends fall at every position of an instance's 64-tuple chunk: dense input
 * (about one event per millisecond per split, in full 1024-tuple batches, so runs are much longer than a
 * chunk) and window lengths that are not multiples of the chunk, over the split/instance combinations in
 * which an instance's window opens at the last tuple of a chunk (one split into two SN instances, one VSN
 * instance, two VSN instances on one split, and more). Every run must equal an independent reference.
 * The scan itself is enumerated position by position in {@code OwnedTupleScanTest}.
 */
class WindowEndPositionTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] layouts = {{1, 1}, {1, 2}, {1, 3}, {2, 1}, {2, 2}, {3, 2}, {3, 3}}; // {splits, instances}
        for (long windowMs : new long[] {1, 7, 63, 64, 65, 100, 127}) {
            for (int[] l : layouts) {
                for (ExecutionMode mode : ExecutionMode.values()) {
                    out.add(Arguments.of(windowMs, l[0], mode, l[1]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} ms windows, {1} split(s), {2} x {3}")
    @MethodSource("cases")
    void shouldEmitEveryWindowOnceWhereverItsEndFallsInAChunk(long windowMs, int splits, ExecutionMode mode,
            int instances) {
        List<List<Timed<Event>>> input = denseInput(windowMs * 31 + splits, splits, 12_000, 1 + (int) (windowMs % 5));

        JobConfig cfg = JobConfig.builder().mode(mode).batchSize(1024).ringBatches(4).build();
        StreamEnvironment env = StreamEnvironment.create(cfg);
        CollectingSink<Object> sink = new CollectingSink<>();
        env.fromSource(new ArraySource<>(input, windowMs, 1_000_000, () -> true), WatermarkStrategy.forMonotonousTimestamps(),
                        "events").setParallelism(splits)
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(windowMs))
                .aggregate(Aggregations.sum(Event::value))
                .name("sum").setParallelism(instances)
                .map(x -> (Object) x)
                .sinkTo(sink);
        JobExecution job = env.start("window-ends");
        job.awaitTermination(java.time.Duration.ofSeconds(60));

        List<String> got = new ArrayList<>(sink.lines());
        got.sort(null);
        assertThat(job.failure()).isEmpty();
        assertThat(got).isEqualTo(reference(input, windowMs));
    }

    /**
     * The same with multi-key tuples: each event is added to its key and to its key + 100 (two key groups,
     * owned by different instances or the same one), so a window may open at a chunk's last tuple through
     * either of its keys.
     */
    @ParameterizedTest(name = "multi-key: {0} ms windows, {1} split(s), {2} x {3}")
    @MethodSource("cases")
    void shouldEmitEveryMultiKeyWindowOnceWhereverItsEndFallsInAChunk(long windowMs, int splits, ExecutionMode mode,
            int instances) {
        List<List<Timed<Event>>> input = denseInput(windowMs * 37 + splits, splits, 12_000, 1 + (int) (windowMs % 5));

        JobConfig cfg = JobConfig.builder().mode(mode).batchSize(1024).ringBatches(4).build();
        StreamEnvironment env = StreamEnvironment.create(cfg);
        CollectingSink<Object> sink = new CollectingSink<>();
        env.fromSource(new ArraySource<>(input, windowMs, 1_000_000, () -> true), WatermarkStrategy.forMonotonousTimestamps(),
                        "events").setParallelism(splits)
                .keyByManyLong((Event e, dev.stretch.api.LongKeyCollector keys) -> {
                    keys.collect(e.key());
                    keys.collect(e.key() + 100);
                })
                .window(Windows.tumblingMillis(windowMs))
                .aggregate(Aggregations.sum(Event::value))
                .name("sum").setParallelism(instances)
                .map(x -> (Object) x)
                .sinkTo(sink);
        JobExecution job = env.start("multi-key-window-ends");
        job.awaitTermination(java.time.Duration.ofSeconds(60));

        List<String> got = new ArrayList<>(sink.lines());
        got.sort(null);
        List<String> want = new ArrayList<>(reference(input, windowMs));
        List<List<Timed<Event>>> shifted = new ArrayList<>();
        for (List<Timed<Event>> split : input) {
            List<Timed<Event>> l = new ArrayList<>();
            for (Timed<Event> t : split) {
                l.add(new Timed<>(t.ts(), new Event(t.ts(), t.value().key() + 100, t.value().value())));
            }
            shifted.add(l);
        }
        want.addAll(reference(shifted, windowMs));
        want.sort(null);
        assertThat(job.failure()).isEmpty();
        assertThat(got).isEqualTo(want);
    }

    /**
     * Per split, timestamps 0, 1, 2, … with now and then a repeated timestamp or a skipped one, so that the
     * merged stream has window ends at shifting positions; keys from a small set, so that every instance
     * owns some of them.
     */
    static List<List<Timed<Event>>> denseInput(long seed, int splits, int perSplit, int keys) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<Timed<Event>>> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            List<Timed<Event>> l = new ArrayList<>(perSplit);
            long ts = rnd.nextInt(3);
            for (int i = 0; i < perSplit; i++) {
                int r = rnd.nextInt(16);
                if (r == 0) {
                    ts += 2;
                } else if (r != 1) {
                    ts++;
                }
                l.add(new Timed<>(ts, new Event(ts, rnd.nextInt(keys), rnd.nextInt(1000))));
            }
            out.add(l);
        }
        return out;
    }

    static List<String> reference(List<List<Timed<Event>>> input, long windowMs) {
        Map<List<Long>, Long> sums = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? Long.compare(a.get(1), b.get(1)) : Long.compare(a.get(0), b.get(0)));
        for (List<Timed<Event>> split : input) {
            for (Timed<Event> t : split) {
                long end = Math.floorDiv(t.ts(), windowMs) * windowMs + windowMs;
                sums.merge(List.of(end, t.value().key()), t.value().value(), Long::sum);
            }
        }
        List<String> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add((k.get(0) - 1) + " " + new WindowResult<>(k.get(1), k.get(0) - windowMs, k.get(0), v)));
        out.sort(null);
        return out;
    }
}
