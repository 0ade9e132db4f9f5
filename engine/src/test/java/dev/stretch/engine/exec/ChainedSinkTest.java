package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.LongWindowResult;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A sink without a parallelism of its own runs chained into its producer, at the producer's parallelism
 * (the job default), one writer per producer instance on that instance's thread, following the producer
 * through reconfigurations; {@code disableChaining()} gives the ordered sink stage back.
 */
class ChainedSinkTest {

    /** Records every writer's elements, thread and lifecycle. */
    static final class RecordingSink implements Sink<LongWindowResult> {
        final List<LongWindowResult> arrivals = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Integer> opened = new ConcurrentHashMap<>();
        final Map<Integer, Integer> closed = new ConcurrentHashMap<>();
        final Set<String> violations = ConcurrentHashMap.newKeySet();
        final Map<Integer, Set<String>> threads = new ConcurrentHashMap<>();

        @Override
        public SinkWriter<LongWindowResult> createWriter(int instance) {
            opened.merge(instance, 1, Integer::sum);
            AtomicBoolean inUse = new AtomicBoolean();
            return new SinkWriter<>() {
                boolean isClosed;

                @Override
                public void write(LongWindowResult element, long timestamp) {
                    if (!inUse.compareAndSet(false, true)) {
                        violations.add("writer " + instance + " used by two threads at once");
                    }
                    if (isClosed) {
                        violations.add("writer " + instance + " written after close");
                    }
                    if (timestamp != element.end() - 1) {
                        violations.add("timestamp " + timestamp + " for window end " + element.end());
                    }
                    threads.computeIfAbsent(instance, i -> ConcurrentHashMap.newKeySet())
                            .add(Thread.currentThread().getName());
                    arrivals.add(element);
                    inUse.set(false);
                }

                @Override
                public void close() {
                    isClosed = true;
                    closed.merge(instance, 1, Integer::sum);
                }
            };
        }
    }

    private static List<List<Timed<Event>>> input(long seed, int splits, int perSplit) {
        Random rnd = new Random(seed);
        List<List<Timed<Event>>> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            List<Timed<Event>> l = new ArrayList<>();
            long ts = 0;
            for (int i = 0; i < perSplit; i++) {
                ts += rnd.nextInt(3);
                l.add(new Timed<>(ts, new Event(ts, rnd.nextInt(200), rnd.nextInt(100))));
            }
            out.add(l);
        }
        return out;
    }

    /** key@end -> sum over tumbling 100 ms windows. */
    private static Map<String, Long> reference(List<List<Timed<Event>>> in) {
        Map<String, Long> m = new TreeMap<>();
        for (List<Timed<Event>> s : in) {
            for (Timed<Event> t : s) {
                m.merge(t.value().key() + "@" + (Math.floorDiv(t.ts(), 100) * 100 + 100), t.value().value(), Long::sum);
            }
        }
        return m;
    }

    private static Map<String, Long> multiset(List<LongWindowResult> rs) {
        Map<String, Long> m = new TreeMap<>();
        for (LongWindowResult r : rs) {
            assertThat(m.put(r.key() + "@" + r.end(), r.value())).as("one result per key and window").isNull();
        }
        return m;
    }

    /** Each key's results arrive in window order (each key has one writer at a time). */
    private static void assertPerKeyOrder(List<LongWindowResult> rs) {
        Map<Long, Long> last = new HashMap<>();
        for (LongWindowResult r : rs) {
            Long prev = last.put(r.key(), r.end());
            assertThat(prev == null || prev < r.end()).as("key %d: window %d after %d", r.key(), r.end(), prev)
                    .isTrue();
        }
    }

    @Test
    void shouldRunTheSinkInTheProducersInstancesAtTheJobDefaultParallelism() {
        List<List<Timed<Event>>> in = input(3, 2, 20_000);
        RecordingSink sink = new RecordingSink();
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(3).batchSize(64).build());
        env.fromSource(new ArraySource<>(in, 1), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .setParallelism(2)
                .keyByLong(Event::key).window(Windows.tumblingMillis(100)).sum(Event::value).name("sums")
                .sinkTo(sink).name("out");
        JobExecution exec = env.execute("chained");

        assertThat(sink.violations).isEmpty();
        assertThat(multiset(sink.arrivals)).isEqualTo(reference(in));
        assertPerKeyOrder(sink.arrivals);
        assertThat(sink.opened).as("one writer per instance of 'sums'").containsOnlyKeys(0, 1, 2);
        assertThat(sink.closed).isEqualTo(sink.opened);
        sink.threads.values().forEach(ts -> assertThat(ts).hasSize(1));
        assertThat(exec.instances("out")).isEqualTo(3);
        OperatorMetrics out = exec.metrics().operator("out").orElseThrow();
        assertThat(out.kind()).isEqualTo("sink");
        assertThat(out.tuplesIn()).isEqualTo(sink.arrivals.size());
        assertThat(((JobRunner) exec).gateMemberships()).as("no gate in front of the sink: only the window's")
                .hasSize(1);
    }

    @Test
    void shouldFollowTheProducerThroughReconfigurations() {
        List<List<Timed<Event>>> in = input(5, 2, 40_000);
        RecordingSink sink = new RecordingSink();
        AtomicBoolean mayEnd = new AtomicBoolean();
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().batchSize(64).ringBatches(8).build());
        env.fromSource(new ArraySource<>(in, 1, 50, mayEnd::get), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .setParallelism(2)
                .keyByLong(Event::key).window(Windows.tumblingMillis(100)).sum(Event::value).name("sums")
                .setParallelism(2)
                .sinkTo(sink).name("out");
        JobExecution exec = env.start("chained-elastic");
        Random rnd = new Random(9);
        for (int i = 0; i < 30; i++) {
            exec.reconfigure("sums", 1 + rnd.nextInt(4));
        }
        exec.reconfigure("sums", 4);
        assertThat(exec.instances("out")).isEqualTo(4);
        mayEnd.set(true);
        exec.awaitTermination();

        assertThat(sink.violations).isEmpty();
        assertThat(multiset(sink.arrivals)).isEqualTo(reference(in));
        assertPerKeyOrder(sink.arrivals);
        assertThat(sink.opened.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(sink.closed).as("every writer opened was closed, removed or at the end").isEqualTo(sink.opened);
    }

    @Test
    void shouldMergeIntoOneOrderedWriterWhenChainingIsDisabled() {
        List<List<Timed<Event>>> in = input(7, 2, 20_000);
        List<List<LongWindowResult>> runs = new ArrayList<>();
        for (int p : new int[] {1, 3}) {
            RecordingSink sink = new RecordingSink();
            StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(p).batchSize(64)
                    .build());
            env.fromSource(new ArraySource<>(in, p), WatermarkStrategy.forMonotonousTimestamps(), "events")
                    .setParallelism(2)
                    .keyByLong(Event::key).window(Windows.tumblingMillis(100)).sum(Event::value).name("sums")
                    .sinkTo(sink).name("out").disableChaining();
            JobExecution exec = env.execute("unchained");
            assertThat(sink.opened).containsOnlyKeys(0);
            assertThat(((JobRunner) exec).gateMemberships()).as("the sink's own gate").hasSize(2);
            runs.add(new ArrayList<>(sink.arrivals));
        }
        assertThat(multiset(runs.get(0))).isEqualTo(reference(in));
        assertThat(runs.get(1)).as("same order at every parallelism").isEqualTo(runs.get(0));
    }

    @Test
    void shouldChainASinkIntoSourceSplits() {
        List<List<Timed<Event>>> in = input(11, 3, 5_000);
        Map<Integer, List<Event>> got = new ConcurrentHashMap<>();
        AtomicBoolean mayEnd = new AtomicBoolean(); // the splits stay open until the rescaling is done
        StreamEnvironment env = StreamEnvironment.create();
        env.fromSource(new ArraySource<>(in, 1, 50, mayEnd::get), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .setParallelism(3)
                .filter(e -> e.value() % 2 == 0)
                .sinkTo(instance -> (e, ts) -> got.computeIfAbsent(instance, i -> new ArrayList<>()).add(e)).name("out");
        JobExecution exec = env.start("source-to-sink");
        exec.reconfigure("events", 1); // one thread reads the three splits: still a writer per split
        mayEnd.set(true);
        exec.awaitTermination();
        assertThat(got).containsOnlyKeys(0, 1, 2);
        assertThat(exec.instances("out")).isEqualTo(3);
        OperatorMetrics out = exec.metrics().operator("out").orElseThrow();
        assertThat(out.instances()).isEqualTo(3);
        assertThat(out.tuplesIn()).isEqualTo(got.values().stream().mapToLong(List::size).sum());
        for (int s = 0; s < 3; s++) {
            assertThat(got.get(s)).as("split %d's elements, in order, in writer %d", s, s)
                    .isEqualTo(in.get(s).stream().map(Timed::value).filter(e -> e.value() % 2 == 0).toList());
        }
    }
}
