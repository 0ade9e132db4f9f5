package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SourceOutput#collectBatch} is the same as collecting element by element: the same output in the
 * same order (numbering, key groups, merge order) at every parallelism and mode, through a chained map
 * (the per-element fallback of a chain) and straight into a keyed edge (the batch path), and the same
 * bad records (a timestamp going back, a missing timestamp) dead-lettered and counted, with the rest of
 * their batch delivered.
 */
class BatchedSourceTest {

    /** Splits of events with many equal timestamps; {@code bad} plants timestamps going back and missing ones. */
    private static List<List<Event>> input(long seed, boolean bad) {
        Random rnd = new Random(seed);
        List<List<Event>> splits = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<Event> l = new ArrayList<>();
            long ts = 0;
            for (int i = 0; i < 30_000; i++) {
                ts += rnd.nextInt(4) == 0 ? 1 : 0;
                long t = ts;
                if (bad && i % 997 == 500) {
                    t = ts - 5; // behind the split's previous timestamp
                } else if (bad && i % 1499 == 700) {
                    t = Long.MIN_VALUE; // no timestamp
                }
                l.add(new Event(t, rnd.nextInt(300), rnd.nextInt(1000)));
            }
            splits.add(l);
        }
        return splits;
    }

    /** Reads its split in chunks of varying size, per element or as batches. */
    record ChunkSource(List<List<Event>> splits, boolean batched) implements Source<Event> {
        @Override
        public SplitReader<Event> createReader(int split, int splitCount) {
            List<Event> data = splits.get(split);
            Random rnd = new Random(split);
            Event[] els = new Event[700];
            long[] ts = new long[700];
            return new SplitReader<>() {
                int pos;

                @Override
                public ReadResult read(SourceOutput<Event> out) {
                    if (pos >= data.size()) {
                        return ReadResult.end();
                    }
                    int n = Math.min(data.size() - pos, 1 + rnd.nextInt(700));
                    if (batched) {
                        for (int i = 0; i < n; i++) {
                            els[i] = data.get(pos + i);
                            ts[i] = els[i].ts();
                        }
                        out.collectBatch(els, ts, n);
                    } else {
                        for (int i = 0; i < n; i++) {
                            out.collect(data.get(pos + i), data.get(pos + i).ts());
                        }
                    }
                    pos += n;
                    return ReadResult.more();
                }
            };
        }
    }

    private record Run(List<String> lines, List<String> deadLetters, OperatorMetrics source) {
    }

    private static Run run(List<List<Event>> in, boolean batched, ExecutionMode mode, int p, boolean viaMap) {
        return run(in, batched, mode, p, viaMap, false);
    }

    private static Run run(List<List<Event>> in, boolean batched, ExecutionMode mode, int p, boolean viaMap,
            boolean failingKeys) {
        List<String> dead = Collections.synchronizedList(new ArrayList<>());
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).batchSize(64)
                .errorPolicy(ErrorPolicy.DEAD_LETTER)
                .deadLetterSink(i -> (DeadLetter d, long ts) -> dead.add(d.toString())).build());
        CollectingSink<Object> sink = new CollectingSink<>();
        var events = env.fromSource(new ChunkSource(in, batched), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .setParallelism(3);
        if (viaMap) {
            events = events.map(e -> new Event(e.ts(), e.key(), e.value() + 1)).name("plus-one");
        }
        dev.stretch.api.LongKeySelector<Event> key = failingKeys ? e -> {
            if (e.value() % 101 == 7) {
                throw new IllegalStateException("no key for value " + e.value());
            }
            return e.key();
        } : Event::key;
        events.keyByLong(key).window(Windows.tumblingMillis(50)).sum(Event::value).name("sums")
                .setParallelism(p)
                .map(r -> (Object) r)
                .sinkTo(sink).disableChaining();
        JobExecution e = env.execute("batched-" + batched);
        List<String> sortedDead = new ArrayList<>(dead);
        sortedDead.sort(null);
        return new Run(sink.lines(), sortedDead, e.metrics().operator("events").orElseThrow());
    }

    @ParameterizedTest(name = "{0} with {1} instances, through a map: {2}")
    @CsvSource({"VSN, 1, false", "VSN, 3, false", "SN, 2, false", "VSN, 2, true"})
    void shouldGiveTheSameOutputAsElementByElement(ExecutionMode mode, int p, boolean viaMap) {
        List<List<Event>> in = input(3, false);
        Run single = run(in, false, ExecutionMode.VSN, 1, viaMap);
        Run batched = run(in, true, mode, p, viaMap);
        assertThat(single.lines()).isNotEmpty();
        assertThat(batched.lines()).isEqualTo(single.lines());
        assertThat(batched.source().tuplesIn()).isEqualTo(90_000);
        assertThat(batched.source().tuplesOut()).isEqualTo(90_000);
    }

    @Test
    void shouldDeadLetterTheSameBadRecordsAndDeliverTheRestOfTheirBatch() {
        List<List<Event>> in = input(5, true);
        Run single = run(in, false, ExecutionMode.VSN, 2, false);
        Run batched = run(in, true, ExecutionMode.VSN, 2, false);
        assertThat(single.source().badRecords()).isGreaterThan(0);
        assertThat(batched.source().badRecords()).isEqualTo(single.source().badRecords());
        assertThat(batched.deadLetters()).isEqualTo(single.deadLetters());
        assertThat(batched.lines()).isEqualTo(single.lines());
    }

    /**
     * A key selector that throws part-way through a source batch: the batched keyed edge stores the batch a
     * stretch at a time, so the tuples before the failing one must be taken, the record dead-lettered, and
     * the stretch resumed after it, exactly as element by element.
     */
    @ParameterizedTest(name = "{0} with {1} instances")
    @CsvSource({"VSN, 1", "VSN, 2", "SN, 2"})
    void shouldDeadLetterRecordsWhoseKeySelectorThrowsAndKeepTheRestOfTheirBatch(ExecutionMode mode, int p) {
        List<List<Event>> in = input(7, false);
        Run single = run(in, false, ExecutionMode.VSN, 1, false, true);
        Run batched = run(in, true, mode, p, false, true);
        assertThat(single.deadLetters()).hasSizeGreaterThan(100);
        assertThat(batched.deadLetters()).isEqualTo(single.deadLetters());
        assertThat(batched.lines()).isEqualTo(single.lines());
        assertThat(batched.source().tuplesIn()).isEqualTo(90_000);
    }
}
