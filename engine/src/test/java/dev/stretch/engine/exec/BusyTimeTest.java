package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Sink;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The busy time a window operator reports is what autoscalers size it by: an operator that is the
 * bottleneck must report itself nearly always busy <em>while</em> it runs (also when each of its runs
 * takes long and no window closes for a long time), and an operator starved of input must not.
 */
class BusyTimeTest {
    /** Work per element of the expensive aggregate. */
    private static final long WORK_NANOS = 20_000;

    @Test
    void shouldReportABottleneckOperatorAsBusyWhileItRuns() {
        double busy = busyFraction(0);
        assertThat(busy).as("busy fraction of the operator that holds the job back").isGreaterThan(0.6);
    }

    @Test
    void shouldReportAStarvedOperatorAsMostlyIdle() {
        double busy = busyFraction(TimeUnit.MILLISECONDS.toNanos(2)); // ~500 elements/s: 1 % of its capacity
        assertThat(busy).as("busy fraction of an operator that waits for input").isLessThan(0.2);
    }

    /** Runs the job for a while and returns the window operator's busy time per instance per second of it. */
    private static double busyFraction(long nanosBetweenElements) {
        AtomicBoolean stop = new AtomicBoolean();
        StreamEnvironment env = StreamEnvironment.create();
        Source<Event> source = (split, n) -> new SplitReader<>() {
            long i;

            @Override
            public ReadResult read(SourceOutput<Event> out) {
                if (stop.get()) {
                    return ReadResult.end();
                }
                int count = nanosBetweenElements == 0 ? 1000 : 1;
                for (int k = 0; k < count; k++, i++) {
                    out.collect(new Event(i / 10, (int) (i % 100), i), i / 10);
                }
                return nanosBetweenElements == 0 ? ReadResult.more() : ReadResult.idle(nanosBetweenElements);
            }
        };
        env.fromSource(source, WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(3_600_000)) // no window closes during the test: nothing else flushes
                .aggregate(new Expensive())
                .name("expensive").setParallelism(1)
                .sinkTo((Sink<Object>) instance -> (element, ts) -> { });
        JobExecution job = env.start("busy-time");
        try {
            // let the job reach its steady state, then measure over a fixed period (sampling, not synchronisation)
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            OperatorMetrics before = job.metrics().operator("expensive").orElseThrow();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1500));
            OperatorMetrics after = job.metrics().operator("expensive").orElseThrow();
            long elapsed = System.nanoTime() - t0;
            assertThat(after.tuplesIn()).as("the operator made progress").isGreaterThan(before.tuplesIn());
            return (double) (after.busyNanos() - before.busyNanos()) / elapsed;
        } finally {
            stop.set(true);
            job.cancel();
            job.awaitTermination(Duration.ofSeconds(30));
        }
    }

    /** A count that spends {@link #WORK_NANOS} on each element, as an expensive user function would. */
    private static final class Expensive implements AggregateFunction<Event, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Event value, long[] acc) {
            long until = System.nanoTime() + WORK_NANOS;
            while (System.nanoTime() < until) {
                acc[0] += value.value() & 1; // work the JIT cannot drop
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
