package dev.stretch.bench;

import dev.stretch.api.Aggregations;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.Sink;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import java.util.concurrent.atomic.AtomicLong;

/** A quick look at keyed tumbling-count throughput (not the full comparison; see bench/run). */
public final class QuickThroughput {
    public static void main(String[] args) {
        long n = Long.parseLong(args.length > 0 ? args[0] : "20000000");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        ExecutionMode mode = args.length > 2 ? ExecutionMode.valueOf(args[2]) : ExecutionMode.VSN;
        int splits = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int keys = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        for (int rep = 0; rep < 3; rep++) {
            AtomicLong outputs = new AtomicLong();
            StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).build());
            env.fromSource(new EventSource(42, keys, false, 10_000, n / splits, EventSource.stopFlag()), WatermarkStrategy.forMonotonousTimestamps(), "events")
                    .setParallelism(splits)
                    .keyByLong(Event::key)
                    .window(Windows.tumblingMillis(100))
                    .aggregate(Aggregations.<Event>count())
                    .name("count").setParallelism(threads)
                    .sinkTo((Sink<Object>) i -> (e, ts) -> outputs.incrementAndGet());
            long t0 = System.nanoTime();
            JobExecution e = env.execute("quick");
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s threads=%d splits=%d: %.2f M events/s (%d outputs, %.2fs)%n", mode, threads, splits,
                    n / s / 1e6, outputs.get(), s);
        }
    }
}
