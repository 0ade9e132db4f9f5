package dev.stretch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a job reports about how it went: its final status, the counts of its operators (chained ones
 * included, and a source's up to the record that failed it), bad and late records, no-op rescalings.
 */
class JobOutcomeTest {
    private static List<List<Timed<Event>>> events(int perSplit, int splits) {
        List<List<Timed<Event>>> out = new ArrayList<>();
        for (int s = 0; s < splits; s++) {
            List<Timed<Event>> l = new ArrayList<>();
            for (int i = 0; i < perSplit; i++) {
                l.add(new Timed<>(i, new Event(i, i % 10, i)));
            }
            out.add(l);
        }
        return out;
    }

    /** A source that emits all of its records in a single read, then ends. */
    private static Source<Event> oneRead(List<Event> records) {
        return (split, count) -> new SplitReader<>() {
            private boolean done;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (done) {
                    return ReadResult.end();
                }
                for (Event e : records) {
                    out.collect(e, e.ts());
                }
                done = true;
                return ReadResult.end();
            }
        };
    }

    private static OperatorMetrics metrics(JobExecution e, String op) {
        return e.metrics().operator(op).orElseThrow();
    }

    @Test
    void shouldStayFinishedWhenCancelledAfterItsSourcesEnded() {
        StreamEnvironment env = StreamEnvironment.create();
        env.fromSource(new ArraySource<>(events(1000, 1), 1), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .sinkTo(new CollectingSink<>()).name("out");
        JobExecution e = env.start("finite");
        e.awaitTermination();
        e.cancel(); // what a runtime's clean-up does once the job has ended
        assertThat(e.status()).isEqualTo(JobExecution.Status.FINISHED);
    }

    @Test
    void shouldReportTheRecordsASourceReadBeforeARecordFailedTheJob() {
        List<Event> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(new Event(i, i == 999 ? -1 : i % 10, i));
        }
        StreamEnvironment env = StreamEnvironment.create();
        env.fromSource(oneRead(records), WatermarkStrategy.forMonotonousTimestamps(), "events").setParallelism(1)
                .keyBy((Event ev) -> {
                    if (ev.key() < 0) {
                        throw new BadRecordException("field 'key' is missing");
                    }
                    return ev.key();
                })
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.<Event>count()).name("counts")
                .sinkTo(new CollectingSink<>()).name("out");
        JobExecution e = env.start("fails");
        assertThatThrownBy(e::awaitTermination).isInstanceOf(JobFailedException.class)
                .hasMessageEndingWith(": field 'key' is missing")
                .hasMessageNotContaining("BadRecordException")
                .hasMessageNotContaining("key selector threw");
        assertThat(e.status()).isEqualTo(JobExecution.Status.FAILED);
        assertThat(metrics(e, "events").tuplesIn()).isEqualTo(1000);
    }

    @Test
    void shouldGiveABadRecordsOwnReasonToTheDeadLetter() {
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().errorPolicy(ErrorPolicy.DEAD_LETTER)
                .deadLetterSink(i -> (d, ts) -> letters.add(d)).build());
        env.fromSource(new ArraySource<>(events(100, 1), 1), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .filter(ev -> {
                    if (ev.value() == 7) {
                        throw new BadRecordException("value 7 is unlucky");
                    }
                    return true;
                }).name("lucky")
                .sinkTo(new CollectingSink<>()).name("out");
        env.execute("reasons");
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.operator()).isEqualTo("lucky");
            assertThat(d.reason()).isEqualTo("value 7 is unlucky");
        });
    }

    @Test
    void shouldCountTheElementsInAndOutOfChainedOperators() {
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(2).build());
        CollectingSink<WindowResult<Long, Long>> sink = new CollectingSink<>();
        env.fromSource(new ArraySource<>(events(5000, 2), 3), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .map(ev -> ev).name("copy")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.<Event>count()).name("counts")
                .filter(r -> r.key() % 2 == 0).name("even")
                .sinkTo(sink).name("out");
        JobExecution e = env.start("chained");
        e.awaitTermination();
        OperatorMetrics copy = metrics(e, "copy");
        OperatorMetrics counts = metrics(e, "counts");
        OperatorMetrics even = metrics(e, "even");
        assertThat(copy.kind()).isEqualTo("chained");
        assertThat(copy.tuplesIn()).isEqualTo(10_000);
        assertThat(copy.tuplesOut()).isEqualTo(10_000);
        assertThat(even.kind()).isEqualTo("chained");
        assertThat(even.tuplesIn()).isEqualTo(10 * 50); // 10 keys, 50 windows of 100 ms
        // a stage's own output is counted after its chain: what its last chained operator let through
        assertThat(even.tuplesOut()).isEqualTo(sink.values().size()).isEqualTo(counts.tuplesOut()).isEqualTo(5 * 50);
    }

    @Test
    void shouldNotCountARescalingToTheCurrentCount() throws InterruptedException {
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(2).build());
        java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        env.fromSource(new ArraySource<>(events(100, 2), 1, 50, () -> open.getCount() == 0),
                        WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key).window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.<Event>count()).name("counts")
                .sinkTo(new CollectingSink<>()).name("out");
        JobExecution e = env.start("noop");
        List<ReconfigurationResult> seen = new CopyOnWriteArrayList<>();
        e.addReconfigurationListener(seen::add);
        ReconfigurationResult r = e.reconfigure("counts", 2);
        assertThat(r.from()).isEqualTo(2);
        assertThat(r.to()).isEqualTo(2);
        assertThat(metrics(e, "counts").reconfigurations()).isZero();
        ReconfigurationResult s = e.reconfigure("events", 2); // a source with 2 splits read by 2 threads
        assertThat(s.from()).isEqualTo(s.to()).isEqualTo(2);
        assertThat(metrics(e, "events").reconfigurations()).isZero();
        assertThat(seen).isEmpty();
        open.countDown();
        assertThat(e.awaitTermination(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void shouldSendLateRecordsToTheDeadLetterOutputWhenAsked() {
        List<DeadLetter> letters = new CopyOnWriteArrayList<>();
        List<Timed<Event>> split = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            split.add(new Timed<>(i * 10L, new Event(i * 10L, 1, i)));
        }
        split.add(new Timed<>(5L, new Event(5L, 1, -1))); // 990 - 5 is far beyond 50 ms of disorder
        split.add(new Timed<>(2000L, new Event(2000L, 1, 100)));
        for (LateRecordPolicy policy : LateRecordPolicy.values()) {
            letters.clear();
            StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().lateRecords(policy)
                    .deadLetterSink(i -> (d, ts) -> letters.add(d)).build());
            CollectingSink<Event> sink = new CollectingSink<>();
            env.fromSource(new ArraySource<>(List.of(split), 1), WatermarkStrategy.forBoundedOutOfOrderness(
                    Duration.ofMillis(50)), "events").sinkTo(sink).name("out");
            JobExecution e = env.start("late-" + policy);
            e.awaitTermination();
            assertThat(sink.values()).hasSize(101);
            assertThat(metrics(e, "events").lateTuples()).isEqualTo(1);
            if (policy == LateRecordPolicy.DROP) {
                assertThat(letters).isEmpty();
            } else {
                assertThat(letters).singleElement().satisfies(d -> {
                    assertThat(d.operator()).isEqualTo("events");
                    assertThat(d.timestamp()).isEqualTo(5L);
                    assertThat(d.reason()).startsWith("late: event time 5 arrived after the watermark");
                });
                assertThat(metrics(e, "events").deadLetters()).isEqualTo(1);
            }
        }
    }
}
