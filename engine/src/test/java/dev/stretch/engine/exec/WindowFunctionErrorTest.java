package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.Aggregations;
import dev.stretch.api.DataStream;
import dev.stretch.api.DeadLetter;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter policy inside window functions: a record a window function throws on affects only
 * itself. It is left out of every window it belongs to, the rest of its key's elements in those windows
 * still count, no result appears for a key that had nothing else, and the record is dead-lettered
 * exactly once, as itself (for a join: the failing pair).
 */
class WindowFunctionErrorTest {
    private static final long BAD = 13;

    @Test
    void shouldLeaveOutOnlyTheRecordWhosePrimitiveFieldThrows() {
        List<Timed<Event>> in = List.of(
                ev(10, 1, BAD), // key 1's only element: no window result for key 1
                ev(20, 2, 5), ev(30, 2, BAD), ev(40, 2, 7),
                ev(150, 3, 4));
        Outcome o = run(List.of(in), null, env -> env.keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.sum(WindowFunctionErrorTest::valueUnlessBad))
                .name("agg").setParallelism(2));

        assertThat(o.output).containsExactlyInAnyOrder("WindowResult[key=2, start=0, end=100, value=12]",
                "WindowResult[key=3, start=100, end=200, value=4]");
        assertThat(o.deadLetters).extracting(DeadLetter::record)
                .containsExactlyInAnyOrder(ev(10, 1, BAD).value().toString(), ev(30, 2, BAD).value().toString());
        assertThat(o.deadLetters).allSatisfy(d -> assertThat(d.operator()).isEqualTo("agg"));
    }

    @Test
    void shouldKeepAKeysOtherElementsInEverySlidingWindowWhenItsFirstElementOfAPaneThrows() {
        List<Timed<Event>> in = List.of(
                ev(10, 1, BAD), // key 1's only element of pane [0, 50)
                ev(15, 2, 1),
                ev(60, 1, 6),
                ev(70, 2, BAD), ev(71, 2, 2), // key 2: the bad one is the first of pane [50, 100)
                ev(120, 1, 8));
        Outcome o = run(List.of(in), null, env -> env.keyByLong(Event::key)
                .window(Windows.slidingMillis(200, 50))
                .aggregate(new Sum(), (k, w, s) -> k + "@" + w.start() + ":" + s)
                .name("agg").setParallelism(2));

        assertThat(o.output).containsExactlyInAnyOrderElementsOf(slidingReference(in, 200, 50));
        assertThat(o.deadLetters).extracting(DeadLetter::record).as("each bad record once, itself")
                .containsExactlyInAnyOrder(ev(10, 1, BAD).value().toString(), ev(70, 2, BAD).value().toString());
    }

    @Test
    void shouldEmitEveryOtherPairOfTheKeyAndWindowWhenOneJoinPairThrows() {
        List<Timed<Event>> left = List.of(ev(10, 1, 1), ev(20, 1, 2), ev(30, 2, 1));
        List<Timed<Event>> right = List.of(ev(15, 1, 10), ev(25, 1, BAD), ev(35, 2, BAD));
        Outcome o = run(List.of(left), List.of(right), (l, r) -> l.join(r)
                .whereLong(Event::key).equalToLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .apply((a, b) -> {
                    if (a.value() == 1 && b.value() == BAD) {
                        throw new IllegalArgumentException("cannot join " + a.value() + " with " + b.value());
                    }
                    return a.value() + "+" + b.value();
                })
                .name("join").setParallelism(2));

        assertThat(o.output).containsExactlyInAnyOrder("1+10", "2+10", "2+13");
        assertThat(o.deadLetters).hasSize(2);
        assertThat(o.deadLetters).extracting(DeadLetter::record).containsExactlyInAnyOrder(
                "(" + ev(10, 1, 1).value() + ", " + ev(25, 1, BAD).value() + ")",
                "(" + ev(30, 2, 1).value() + ", " + ev(35, 2, BAD).value() + ")");
        assertThat(o.deadLetters).allSatisfy(d -> {
            assertThat(d.reason()).startsWith("join function threw").contains("cannot join 1 with 13");
            assertThat(d.timestamp()).isEqualTo(99);
        });
    }

    @Test
    void shouldFailTheJobNamingThePairUnderTheFailPolicy() {
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().errorPolicy(ErrorPolicy.FAIL).build());
        DataStream<Event> l = env.fromSource(new ArraySource<>(List.of(List.of(ev(10, 1, 1))), 1),
                WatermarkStrategy.forMonotonousTimestamps(), "left");
        DataStream<Event> r = env.fromSource(new ArraySource<>(List.of(List.of(ev(20, 1, BAD))), 2),
                WatermarkStrategy.forMonotonousTimestamps(), "right");
        l.join(r).whereLong(Event::key).equalToLong(Event::key).window(Windows.tumblingMillis(100))
                .apply((a, b) -> {
                    throw new IllegalStateException("no pairs today");
                })
                .name("join").sinkTo(new CollectingSink<>());
        JobExecution exec = env.start("join-fails");

        assertThat(org.assertj.core.api.Assertions.catchThrowable(exec::awaitTermination))
                .isInstanceOf(dev.stretch.api.JobFailedException.class)
                .hasMessageContaining("operator 'join' failed on record (" + ev(10, 1, 1).value() + ", "
                        + ev(20, 1, BAD).value() + ")")
                .hasMessageContaining("join function threw")
                .hasMessageNotContaining("window output function threw");
    }

    private static long valueUnlessBad(Event e) {
        if (e.value() == BAD) {
            throw new IllegalArgumentException("bad value " + e.value());
        }
        return e.value();
    }

    /** A generic sum whose add throws on a bad value (after nothing was changed). */
    static final class Sum implements AggregateFunction<Event, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Event value, long[] acc) {
            acc[0] += valueUnlessBad(value);
            return acc;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            return a;
        }

        @Override
        public Long getResult(long[] acc) {
            return acc[0];
        }
    }

    private static List<String> slidingReference(List<Timed<Event>> in, long size, long slide) {
        java.util.TreeMap<List<Long>, Long> sums = new java.util.TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? Long.compare(a.get(1), b.get(1)) : Long.compare(a.get(0), b.get(0)));
        for (Timed<Event> t : in) {
            Event e = t.value();
            if (e.value() == BAD) {
                continue;
            }
            for (long s = Math.floorDiv(e.ts(), slide) * slide; s > e.ts() - size; s -= slide) {
                sums.merge(List.of(e.key(), s), e.value(), Long::sum);
            }
        }
        List<String> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(k.get(0) + "@" + k.get(1) + ":" + v));
        return out;
    }

    private static Timed<Event> ev(long ts, long key, long value) {
        return new Timed<>(ts, new Event(ts, key, value));
    }

    record Outcome(List<String> output, List<DeadLetter> deadLetters) {
    }

    /** Builds the windowed operator from one or two sources (one split each) and runs it to the end. */
    private static Outcome run(List<List<Timed<Event>>> left, List<List<Timed<Event>>> right,
            java.util.function.BiFunction<DataStream<Event>, DataStream<Event>, DataStream<?>> job) {
        CollectingSink<DeadLetter> dead = new CollectingSink<>();
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().errorPolicy(ErrorPolicy.DEAD_LETTER)
                .deadLetterSink(dead).build());
        DataStream<Event> l = env.fromSource(new ArraySource<>(left, 1), WatermarkStrategy.forMonotonousTimestamps(), "left");
        DataStream<Event> r = right == null ? null
                : env.fromSource(new ArraySource<>(right, 2), WatermarkStrategy.forMonotonousTimestamps(), "right");
        CollectingSink<Object> out = new CollectingSink<>();
        job.apply(l, r).map(x -> (Object) x).sinkTo(out);
        JobExecution exec = env.start("window-function-errors");
        exec.awaitTermination(Duration.ofSeconds(30));
        assertThat(exec.status()).isEqualTo(JobExecution.Status.FINISHED);
        return new Outcome(out.values().stream().map(String::valueOf).toList(), dead.values());
    }

    private static Outcome run(List<List<Timed<Event>>> in, Object unused, Function<DataStream<Event>, DataStream<?>> job) {
        return run(in, null, (l, r) -> job.apply(l));
    }
}
