package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.api.Aggregations;
import dev.stretch.api.DeadLetter;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Silent sources: by default a split that emits nothing and announces no progress holds back every window
 * after it (output never depends on timing); with {@link WatermarkStrategy#withIdleness} it is marked idle
 * after the timeout, stops holding them back, counts the transition, and on resuming has the elements it
 * sends behind what the others reached counted as late. Sequences are forced with flags the test sets
 * once the job has visibly reached a state, never by sleeping.
 */
class IdlenessTest {
    private static final Duration IDLE = Duration.ofMillis(50);
    private JobExecution job;

    @AfterEach
    void cancel() {
        if (job != null) {
            job.cancel();
            job.awaitTermination(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldHoldBackEveryWindowBehindASilentSplitByDefault() {
        CollectingSink<Object> sink = new CollectingSink<>();
        job = start(WatermarkStrategy.forMonotonousTimestamps(), busy(() -> false), silent(() -> false, List.of()),
                sink, JobConfig.builder());

        await().atMost(Duration.ofSeconds(20)).until(() -> source().tuplesIn() == 2000);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> sink.lines().isEmpty() && window().watermark() == Long.MIN_VALUE);
        assertThat(source().perInstance()).allSatisfy(s -> assertThat(s.idleTransitions()).isZero());
    }

    @Test
    void shouldCloseWindowsWithoutASplitThatWentIdle() {
        AtomicBoolean endBusy = new AtomicBoolean();
        CollectingSink<Object> sink = new CollectingSink<>();
        job = start(WatermarkStrategy.<Event>forMonotonousTimestamps().withIdleness(IDLE), busy(endBusy::get),
                silent(() -> false, List.of()), sink, JobConfig.builder());

        List<String> upTo1900 = reference(busyEvents(), 1900);
        await().atMost(Duration.ofSeconds(20)).until(() -> sorted(sink.lines()).equals(upTo1900));
        assertThat(source().perInstance().get(1).idleTransitions()).as("silent split's transitions to idle").isEqualTo(1);

        endBusy.set(true); // every other input has ended: the idle split lets the last window close too
        await().atMost(Duration.ofSeconds(20)).until(() -> sorted(sink.lines()).equals(reference(busyEvents(), 2000)));
        assertThat(source().lateTuples()).isZero();
        assertThat(source().perInstance().get(1).idleTransitions()).isEqualTo(1);
    }

    @Test
    void shouldCountElementsOfAResumedSplitBehindTheOthersAsLate() {
        AtomicBoolean endBusy = new AtomicBoolean();
        AtomicBoolean resume = new AtomicBoolean();
        Event late = new Event(500, 1, 1);
        Event onTime = new Event(2500, 2, 2);
        CollectingSink<Object> sink = new CollectingSink<>();
        job = start(WatermarkStrategy.<Event>forMonotonousTimestamps().withIdleness(IDLE), busy(endBusy::get),
                silent(resume::get, List.of(late, onTime)), sink, JobConfig.builder());

        await().atMost(Duration.ofSeconds(20)).until(() -> sorted(sink.lines()).equals(reference(busyEvents(), 1900)));
        resume.set(true);
        await().atMost(Duration.ofSeconds(20)).until(() -> source().lateTuples() == 1);
        endBusy.set(true);
        job.awaitTermination(Duration.ofSeconds(30));

        List<Event> all = new ArrayList<>(busyEvents());
        all.add(onTime);
        assertThat(sorted(sink.lines())).isEqualTo(reference(all, Long.MAX_VALUE));
        assertThat(source().badRecords()).as("late, not bad").isZero();
        assertThat(source().perInstance().get(1).idleTransitions()).isEqualTo(1);
    }

    @Test
    void shouldSayWhatHappenedToAnElementAtItsSplitsAnnouncedProgress() {
        CollectingSink<DeadLetter> dead = new CollectingSink<>();
        Source<Event> src = (split, n) -> new SplitReader<>() {
            boolean done;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (done) {
                    return ReadResult.end();
                }
                out.markProgress(100);
                out.collect(new Event(100, 1, 1), 100); // at the announced progress
                out.collect(new Event(150, 1, 1), 150);
                out.collect(new Event(120, 1, 1), 120); // behind the previous element
                done = true;
                return ReadResult.more();
            }
        };
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().errorPolicy(ErrorPolicy.DEAD_LETTER)
                .deadLetterSink(dead).build());
        env.fromSource(src, WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key).window(Windows.tumblingMillis(100)).aggregate(Aggregations.<Event>count())
                .sinkTo(new CollectingSink<>());
        env.execute("progress-messages");

        assertThat(dead.values()).extracting(DeadLetter::reason).containsExactly(
                "timestamp 100 is at or below the progress its split announced (100): nothing at or below it may follow",
                "timestamp 120 is behind its split's previous one (150)");
    }

    // ------------------------------------------------------------------ job

    private OperatorMetrics source() {
        return job.metrics().operator("events").orElseThrow();
    }

    private OperatorMetrics window() {
        return job.metrics().operator("sum").orElseThrow();
    }

    private static JobExecution start(WatermarkStrategy<Event> wm, SplitReader<Event> split0, SplitReader<Event> split1,
            CollectingSink<Object> sink, JobConfig.Builder cfg) {
        StreamEnvironment env = StreamEnvironment.create(cfg.batchSize(64).ringBatches(64).build()); // holds all 2000
        Source<Event> src = (split, n) -> split == 0 ? split0 : split1;
        env.fromSource(src, wm, "events").setParallelism(2)
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.sum(Event::value))
                .name("sum").setParallelism(2)
                .map(x -> (Object) x)
                .sinkTo(sink);
        return env.start("idleness");
    }

    /** Events at 0..1999 ms, in reads of 100; then silent (no progress) until {@code mayEnd}, then ends. */
    private static SplitReader<Event> busy(BooleanSupplier mayEnd) {
        List<Event> events = busyEvents();
        return new SplitReader<>() {
            int pos;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (pos == events.size()) {
                    return mayEnd.getAsBoolean() ? ReadResult.end() : ReadResult.idle(200_000);
                }
                for (int i = 0; i < 100; i++, pos++) {
                    out.collect(events.get(pos), events.get(pos).ts());
                }
                return ReadResult.more();
            }
        };
    }

    private static List<Event> busyEvents() {
        List<Event> l = new ArrayList<>();
        for (int t = 0; t < 2000; t++) {
            l.add(new Event(t, t % 7, t));
        }
        return l;
    }

    /** Emits nothing and announces no progress until {@code resume}; then emits {@code events} and ends. */
    private static SplitReader<Event> silent(BooleanSupplier resume, List<Event> events) {
        return new SplitReader<>() {
            boolean sent;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (!resume.getAsBoolean()) {
                    return ReadResult.idle(200_000);
                }
                if (sent) {
                    return ReadResult.end();
                }
                for (Event e : events) {
                    out.collect(e, e.ts());
                }
                sent = true;
                return ReadResult.more();
            }
        };
    }

    /** Sink lines of the windows ending at or before {@code maxEnd}. */
    private static List<String> reference(List<Event> events, long maxEnd) {
        Map<List<Long>, Long> sums = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? Long.compare(a.get(1), b.get(1)) : Long.compare(a.get(0), b.get(0)));
        for (Event e : events) {
            long end = Math.floorDiv(e.ts(), 100) * 100 + 100;
            if (end <= maxEnd) {
                sums.merge(List.of(end, e.key()), e.value(), Long::sum);
            }
        }
        List<String> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add((k.get(0) - 1) + " " + new WindowResult<>(k.get(1), k.get(0) - 100, k.get(0), v)));
        return sorted(out);
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }
}
