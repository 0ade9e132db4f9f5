package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Sink;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A source thread whose every split is stalled on full rings downstream waits without polling: it parks until
 * a reader has freed room, and resumes when one has (no wake-up lost: the job finishes with every element).
 * On a machine with more busy threads than cores a polling source takes the core the readers it waits for
 * need.
 */
class SourceRoomWaitTest {
    private static final int EVENTS = 50_000;

    @Test
    void shouldParkAStalledSourceUntilReadersFreeRoomAndLoseNothing() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        AtomicLong summed = new AtomicLong();
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().batchSize(16).ringBatches(2).build());
        Source<Event> source = (split, n) -> new SplitReader<>() {
            long i;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (i >= EVENTS) {
                    return ReadResult.end();
                }
                for (int k = 0; k < 64 && i < EVENTS; k++, i++) {
                    out.collect(new Event(i / 10, i % 100, 1), i / 10);
                }
                return ReadResult.more();
            }
        };
        env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(new HeldCount(open))
                .name("held").setParallelism(1)
                .sinkTo((Sink<WindowResult<Long, Long>>) instance -> (r, ts) -> summed.addAndGet(r.value()));
        JobExecution job = env.start("room-wait");
        try {
            // the operator holds its first element until the latch opens: the rings fill, the source stalls
            await().atMost(Duration.ofSeconds(30)).until(() -> sourceThreadParkedForRoom("room-wait"));
            open.countDown();
            job.awaitTermination(Duration.ofSeconds(60));
            assertThat(summed.get()).as("every element counted once").isEqualTo(EVENTS);
        } finally {
            open.countDown();
            job.cancel();
            job.awaitTermination(Duration.ofSeconds(30));
        }
    }

    /** Whether a thread of the job is parked waiting for room downstream of its source. */
    private static boolean sourceThreadParkedForRoom(String job) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            if (t.getName().startsWith("stretch-" + job + "-")) {
                Object blocker = LockSupport.getBlocker(t);
                if (blocker != null && blocker.toString().startsWith("room in the rings downstream of source")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Counts elements; the first add waits until the latch opens. */
    private static final class HeldCount implements AggregateFunction<Event, long[], Long> {
        private final CountDownLatch open;

        HeldCount(CountDownLatch open) {
            this.open = open;
        }

        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Event value, long[] acc) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            acc[0]++;
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
}
