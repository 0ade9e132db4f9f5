package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stretch.api.Aggregations;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.InvalidReconfigurationException;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.Event;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests to rescale a running job: the valid ones take effect, the invalid ones change nothing. */
class ReconfigurationRequestTest {
    private final AtomicBoolean stop = new AtomicBoolean();
    private JobExecution job;

    private JobExecution start(ExecutionMode mode) {
        Source<Event> endless = (split, n) -> new SplitReader<>() {
            long i;

            @Override
            public ReadResult read(dev.stretch.api.SourceOutput<Event> out) {
                if (stop.get()) {
                    return ReadResult.end();
                }
                for (int k = 0; k < 100; k++, i++) {
                    out.collect(new Event(i, i % 50, 1), i);
                }
                return ReadResult.idle(100_000);
            }
        };
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).maxInstances(6).build());
        env.fromSource(endless, WatermarkStrategy.forMonotonousTimestamps(), "events").setParallelism(3)
                .map(e -> e).name("identity")
                .keyByLong(Event::key).window(Windows.tumblingMillis(100)).aggregate(Aggregations.<Event>count())
                .name("counts").setParallelism(2)
                .sinkTo(i -> (e, ts) -> { }).name("discard");
        job = env.start("requests");
        return job;
    }

    @AfterEach
    void stopJob() {
        stop.set(true);
        if (job != null) {
            job.cancel();
            job.awaitTermination(java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldRejectInvalidRequestsAndChangeNothing() {
        JobExecution j = start(ExecutionMode.VSN);
        assertThatThrownBy(() -> j.reconfigure("counts", 0)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessageContaining("counts").hasMessageContaining("[1, 6]");
        assertThatThrownBy(() -> j.reconfigure("counts", 7)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessageContaining("requested 7");
        assertThatThrownBy(() -> j.reconfigure("nope", 2)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessageContaining("unknown operator 'nope'");
        assertThatThrownBy(() -> j.reconfigure("identity", 2)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessageContaining("chained into 'events'");
        assertThatThrownBy(() -> j.reconfigure("discard", 2)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessage("operator 'discard' is chained into 'counts'; rescale that one");
        assertThatThrownBy(() -> j.reconfigure("events", 4)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessageContaining("3 splits");
        assertThatThrownBy(() -> j.reconfigure(Map.of("counts", 3, "events", 9)))
                .isInstanceOf(InvalidReconfigurationException.class);
        assertThat(j.instances("counts")).isEqualTo(2);
        assertThat(j.instances("events")).isEqualTo(3);
        assertThat(j.metrics().operator("counts").orElseThrow().reconfigurations()).isZero();
    }

    @Test
    void shouldRefuseToRescaleAnSnOperator() {
        JobExecution j = start(ExecutionMode.SN);
        assertThatThrownBy(() -> j.reconfigure("counts", 3)).isInstanceOf(InvalidReconfigurationException.class)
                .hasMessageContaining("SN mode");
        assertThat(j.instances("counts")).isEqualTo(2);
    }

    @Test
    void shouldApplyValidRequestsAndReportTheirDuration() {
        JobExecution j = start(ExecutionMode.VSN);
        ReconfigurationResult r = j.reconfigure("counts", 5);
        assertThat(r.from()).isEqualTo(2);
        assertThat(r.to()).isEqualTo(5);
        assertThat(r.durationNanos()).isPositive();
        assertThat(r.keyGroupsMoved()).isPositive();
        assertThat(j.instances("counts")).isEqualTo(5);
        List<ReconfigurationResult> both = j.reconfigure(Map.of("counts", 1, "events", 1));
        assertThat(both).hasSize(2);
        assertThat(j.instances("counts")).isEqualTo(1);
        assertThat(j.instances("events")).isEqualTo(1);
        assertThat(j.metrics().operator("counts").orElseThrow().reconfigurations()).isEqualTo(2);
    }

    @Test
    void shouldSerialiseConcurrentRequests() throws Exception {
        JobExecution j = start(ExecutionMode.VSN);
        ConcurrentLinkedQueue<ReconfigurationResult> results = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int target = 1 + t;
            fs.add(pool.submit(() -> {
                go.await();
                for (int k = 0; k < 10; k++) {
                    results.add(j.reconfigure("counts", 1 + (target + k) % 6));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        // serialised: each request starts from where the previous one left the operator
        List<ReconfigurationResult> all = List.copyOf(results);
        assertThat(all).hasSize(40);
        int changes = (int) all.stream().filter(r -> r.from() != r.to()).count();
        assertThat(j.metrics().operator("counts").orElseThrow().reconfigurations()).isEqualTo(changes);
        assertThat(j.instances("counts")).isBetween(1, 6);
    }
}
