package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A VSN instance that has read too far ahead of a sibling waits for that sibling's progress: parked until
 * the sibling reads on, not spinning or yielding on the core the sibling needs. The sibling is held inside
 * its aggregate function by a latch while the other instance runs ahead.
 */
class SiblingWaitTest {
    private static final int KEY_GROUPS = 128;
    private static final long EVENTS = 200_000;

    @Test
    void shouldParkOnTheSlowSiblingsProgressInsteadOfSpinning() throws Exception {
        long slowKey = keyOwnedBy(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong sum = new AtomicLong();
        Source<Event> src = (split, n) -> new SplitReader<>() {
            long i;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (i == EVENTS) {
                    return ReadResult.end();
                }
                for (int k = 0; k < 1000; k++, i++) {
                    long key = i == 500 ? slowKey : i % 50;
                    out.collect(new Event(i / 10, key, i == 500 ? -1 : 1), i / 10);
                }
                return ReadResult.more();
            }
        };
        AggregateFunction<Event, long[], Long> holdOnMarker = new AggregateFunction<>() {
            @Override
            public long[] createAccumulator() {
                return new long[1];
            }

            @Override
            public long[] add(Event e, long[] acc) throws Exception {
                if (e.value() == -1) { // instance 1 stops here until the test lets it go
                    holding.countDown();
                    release.await();
                }
                acc[0] += e.value();
                return acc;
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                a[0] += b[0];
                return a;
            }

            @Override
            public Long getResult(long[] acc) {
                sum.addAndGet(acc[0]);
                return acc[0];
            }
        };
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().maxKeyGroups(KEY_GROUPS).batchSize(64)
                .ringBatches(16).build());
        env.fromSource(src, WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(holdOnMarker)
                .name("agg").setParallelism(2)
                .sinkTo(new CollectingSink<>());
        JobExecution job = env.start("sibling-wait");
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            WindowStage.Instance ahead = ((WindowStage) ((JobRunner) job).stage("agg")).currentInstances()[0];
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(LockSupport.getBlocker(ahead.thread))
                    .as("what instance 0 waits on while instance 1 is held").isInstanceOf(WindowStage.SiblingProgress.class));
            long before = ahead.siblingWaits;
            long t0 = System.nanoTime();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(
                    () -> LockSupport.getBlocker(ahead.thread) instanceof WindowStage.SiblingProgress);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // parked until the sibling moves; only the 5 ms guard wakes it meanwhile (spinning: thousands)
            assertThat(ahead.siblingWaits - before).as("times instance 0 woke in %d ms while the sibling did not move",
                    elapsedMs).isLessThanOrEqualTo(elapsedMs / 5 + 10);
        } finally {
            release.countDown();
        }
        job.awaitTermination(Duration.ofSeconds(60));
        assertThat(sum.get()).isEqualTo(EVENTS - 2); // every element counted once (the marker is -1)
    }

    private static long keyOwnedBy(int instance) {
        KeyGroupOwnership o = KeyGroupOwnership.initial(KEY_GROUPS, 2);
        for (long k = 1000; ; k++) {
            if (o.ownerOf(KeyGroups.of(k, KEY_GROUPS)) == instance) {
                return k;
            }
        }
    }
}
