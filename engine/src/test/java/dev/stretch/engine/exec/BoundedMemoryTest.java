package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.Aggregations;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.Event;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A source running flat out into a windowed operator whose sink is slow: backpressure must hold the
 * source back, so the heap after GC stays flat and the gates never hold more than their rings.
 */
class BoundedMemoryTest {
    @Test
    void shouldKeepHeapBoundedWhenTheSinkIsSlowerThanTheSource() {
        AtomicBoolean stop = new AtomicBoolean();
        JobConfig cfg = JobConfig.builder().batchSize(256).ringBatches(8).build();
        StreamEnvironment env = StreamEnvironment.create(cfg);
        Source<Event> fast = (split, n) -> new SplitReader<>() {
            final SplittableRandom rnd = new SplittableRandom(split);
            long i;

            @Override
            public ReadResult read(dev.stretch.api.SourceOutput<Event> out) {
                if (stop.get()) {
                    return ReadResult.end();
                }
                for (int k = 0; k < 1000; k++, i++) {
                    out.collect(new Event(i / 20, rnd.nextInt(5000), i), i / 20); // 20 events per ms of event time
                }
                return ReadResult.more();
            }
        };
        Sink<Object> slow = instance -> new SinkWriter<>() {
            long n;

            @Override
            public void write(Object element, long timestamp) {
                if (++n % 64 == 0) {
                    LockSupport.parkNanos(200_000); // ~3 µs per record: far slower than the source
                }
            }
        };
        env.fromSource(fast, WatermarkStrategy.forMonotonousTimestamps(), "fast").setParallelism(2)
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(50))
                .aggregate(Aggregations.<Event>count())
                .name("count").setParallelism(2)
                .sinkTo(slow).name("slow");
        JobExecution job = env.start("bounded-memory");
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        List<Long> heap = new ArrayList<>();
        long maxBacklog = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(400)); // sampling period, not synchronisation
            System.gc();
            heap.add(mem.getHeapMemoryUsage().getUsed());
            for (OperatorMetrics o : job.metrics().operators()) {
                maxBacklog = Math.max(maxBacklog, o.backlogTuples());
            }
        }
        long sunk = job.metrics().operator("slow").orElseThrow().tuplesIn();
        OperatorMetrics source = job.metrics().operator("fast").orElseThrow();
        long produced = source.tuplesIn();
        long sourceHeldBack = source.perInstance().stream().mapToLong(i -> i.backpressuredNanos()).sum();
        stop.set(true);
        job.cancel();
        job.awaitTermination(java.time.Duration.ofSeconds(30));

        assertThat(sunk).as("the sink made progress").isPositive();
        assertThat(produced).as("the source ran").isGreaterThan(sunk);
        assertThat(sourceHeldBack).as("time the source waited for room downstream (ns)")
                .isGreaterThan(TimeUnit.SECONDS.toNanos(1));
        // two writers per gate, 8 batches of 256 each: the most a gate may hold
        assertThat(maxBacklog).as("tuples waiting in any gate").isLessThanOrEqualTo(2L * 8 * 256 * 2);
        int third = heap.size() / 3;
        double early = heap.subList(0, third).stream().mapToLong(Long::longValue).average().orElseThrow();
        double late = heap.subList(heap.size() - third, heap.size()).stream().mapToLong(Long::longValue).average().orElseThrow();
        assertThat(late).as("heap after GC, last third vs first third (bytes): %s", heap)
                .isLessThan(early * 1.5 + 16 * 1024 * 1024);
        assertThat(heap.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThan(256L * 1024 * 1024);
    }
}
