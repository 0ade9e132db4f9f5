package dev.stretch.runtime.http;

import dev.stretch.api.Aggregations;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.metrics.MetricsSampler;
import dev.stretch.runtime.JobHandle;
import dev.stretch.runtime.http.TickingSource.Tick;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small real engine job: source {@code events} (2 splits) → chained map {@code tag} → keyed tumbling
 * count {@code counts} (1 instance) → sink {@code out}. {@link #poison()} makes {@code tag} throw, which
 * fails the job. Its handle bounds {@code counts} to [1, 3] in this process, narrower than the engine's
 * limit (8), and {@code events} to its 2 splits.
 */
final class TestJob implements AutoCloseable {
    static final String JOB = "ticks";
    static final int ORDINAL = 1;
    static final int PODS = 3;
    static final String POD = "ticks-1";
    static final int COUNTS_MAX = 3;
    static final int ENGINE_MAX = 8;

    private final AtomicBoolean poisoned = new AtomicBoolean();
    private final JobExecution execution;
    private final MetricsSampler sampler;
    private final Instant startedAt = Instant.now();

    private TestJob(TickingSource source) {
        StreamEnvironment env = StreamEnvironment.create(
                JobConfig.builder().maxInstances(ENGINE_MAX).batchSize(64).ringBatches(8).build());
        AtomicBoolean poison = poisoned;
        env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "events").setParallelism(2)
                .map(t -> {
                    if (poison.get()) {
                        throw new IllegalStateException("poisoned at tick " + t.ts());
                    }
                    return t;
                }).name("tag")
                .keyByLong(Tick::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.<Tick>count())
                .name("counts").setParallelism(1)
                .sinkTo(instance -> (element, timestamp) -> { })
                .name("out");
        execution = env.start(JOB);
        sampler = new MetricsSampler(execution::metrics);
    }

    static TestJob endless() {
        return new TestJob(TickingSource.endless());
    }

    static TestJob bounded(long ticksPerSplit) {
        return new TestJob(TickingSource.bounded(ticksPerSplit));
    }

    JobExecution execution() {
        return execution;
    }

    /** The sampler the runtime would drive; tests call {@code sample()} themselves. */
    MetricsSampler sampler() {
        return sampler;
    }

    Instant startedAt() {
        return startedAt;
    }

    void poison() {
        poisoned.set(true);
    }

    JobHandle handle() {
        return new JobHandle() {
            @Override
            public String jobName() {
                return JOB;
            }

            @Override
            public String podName() {
                return POD;
            }

            @Override
            public dev.stretch.runtime.PodIdentity pod() {
                return new dev.stretch.runtime.PodIdentity(POD, ORDINAL, PODS);
            }

            @Override
            public JobExecution execution() {
                return execution;
            }

            @Override
            public MetricsSampler sampler() {
                return sampler;
            }

            @Override
            public long sampleIntervalMillis() {
                return 1000;
            }

            @Override
            public Instant startedAt() {
                return startedAt;
            }

            @Override
            public Map<String, int[]> threadBounds() {
                Map<String, int[]> m = new LinkedHashMap<>();
                m.put("events", new int[] {1, 2});
                m.put("counts", new int[] {1, COUNTS_MAX});
                return m;
            }
        };
    }

    @Override
    public void close() {
        execution.cancel();
    }
}
