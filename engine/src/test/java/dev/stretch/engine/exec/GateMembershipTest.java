package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.api.Aggregations;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.engine.esg.ElasticScaleGate;
import dev.stretch.engine.esg.EsgWriter;
import dev.stretch.engine.esg.GateMembership;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import dev.stretch.engine.testing.Workload;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Membership follows the parallelism: after the keyed operators of a two-stage job are rescaled 1 → 16 → 1
 * again and again, every gate (the first operator's, the second's, the sink's) must hold again exactly
 * one writer per upstream producer and one reader per instance, and the writers of removed instances,
 * with their rings, must become garbage: the heap does not grow with the number of reconfigurations.
 */
class GateMembershipTest {
    private static final int CYCLES = 20;

    @Test
    void shouldReturnEveryGateToWhatTheParallelismNeedsAfterRescalingUpAndDown() {
        List<List<Timed<Event>>> input = Workload.events(17, 2, 60_000, 200, Workload.Keys.HOT_KEY, 0, 0, 0);
        List<String> expected = run(input, 1, job -> { }, () -> true).lines();

        List<WeakReference<EsgWriter>> everWriters = new ArrayList<>();
        AtomicBoolean mayEnd = new AtomicBoolean();
        CollectingSink<Object> rescaled = run(input, 1, job -> {
            JobRunner runner = (JobRunner) job;
            for (int c = 0; c < CYCLES; c++) {
                for (String op : List.of("first", "second")) {
                    job.reconfigure(op, 16);
                    remember(runner, everWriters);
                    job.reconfigure(op, 1);
                    remember(runner, everWriters);
                }
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runner.gateMemberships())
                    .as("gates after %d cycles 1 -> 16 -> 1", CYCLES)
                    .containsExactlyInAnyOrder(
                            new GateMembership("first", 2, 0, 1), // two source splits; one instance
                            new GateMembership("second", 1, 0, 1), // one instance of 'first'; one of 'second'
                            new GateMembership("out", 1, 0, 1)));
            List<EsgWriter> current = new ArrayList<>();
            for (ElasticScaleGate g : runner.inputGates()) {
                current.addAll(g.writers());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                System.gc();
                long retained = everWriters.stream().map(WeakReference::get)
                        .filter(w -> w != null && !current.contains(w)).count();
                assertThat(retained).as("writers of removed instances still reachable (of %d seen)", everWriters.size())
                        .isZero();
            });
            mayEnd.set(true);
        }, mayEnd::get);

        assertThat(rescaled.lines()).isEqualTo(expected);
    }

    private static void remember(JobRunner runner, List<WeakReference<EsgWriter>> refs) {
        for (ElasticScaleGate g : runner.inputGates()) {
            for (EsgWriter w : g.writers()) {
                refs.add(new WeakReference<>(w));
            }
        }
    }

    /** source (2 splits) → keyed 100 ms sum 'first' → re-keyed 300 ms sum 'second' → sink. */
    private static CollectingSink<Object> run(List<List<Timed<Event>>> input, int parallelism,
            Consumer<JobExecution> whileRunning, java.util.function.BooleanSupplier mayEnd) {
        JobConfig cfg = JobConfig.builder().batchSize(256).ringBatches(8).defaultParallelism(parallelism).build();
        StreamEnvironment env = StreamEnvironment.create(cfg);
        CollectingSink<Object> sink = new CollectingSink<>();
        env.fromSource(new ArraySource<>(input, 3, 20, mayEnd), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .setParallelism(2)
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.sum(Event::value))
                .name("first")
                .keyByLong(r -> r.key() % 7)
                .window(Windows.tumblingMillis(300))
                .aggregate(Aggregations.<WindowResult<Long, Long>>sum(WindowResult::value))
                .name("second")
                .map(x -> (Object) x)
                .sinkTo(sink).name("out").disableChaining(); // its own gate, ordered output
        JobExecution job = env.start("membership");
        whileRunning.accept(job);
        job.awaitTermination(Duration.ofSeconds(60));
        assertThat(job.status()).isEqualTo(JobExecution.Status.FINISHED);
        return sink;
    }
}
