package dev.stretch.bench;

import dev.stretch.api.DataStream;
import dev.stretch.api.DoubleWindowResult;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.LongWindowResult;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import java.util.function.ToLongFunction;

/**
 * The four workloads as jobs of this engine, written as a user would with the public API (built-in
 * aggregations, long keys, primitive results). Sources have {@code splits} splits per input; keyed operators
 * have {@code threads} instances and their sinks are chained into them; engine settings are the defaults
 * apart from the mode.
 */
final class StretchJobs {
    private StretchJobs() {
    }

    static JobConfig config(ExecutionMode mode, int threads) {
        return JobConfig.builder().mode(mode).defaultParallelism(threads).build();
    }

    static StreamEnvironment build(Workload w, ExecutionMode mode, int threads, int splits, Dataset a, Dataset b,
            long events, OutputTally tally) {
        StreamEnvironment env = StreamEnvironment.create(config(mode, threads));
        DataStream<Event> in = env.fromSource(new ArraySource(a, events, tally),
                WatermarkStrategy.forMonotonousTimestamps(), "events-a").setParallelism(splits);
        // Written as a Flink user would: built-in aggregations on long keys with primitive results
        // (LongWindowResult / DoubleWindowResult: no boxed key or value), sinks chained into the operator
        // that produces their input, at its parallelism (as Flink chains its sink at parallelism p).
        switch (w) {
            case TUMBLING_COUNT -> in.keyByLong(Event::key)
                    .window(Windows.tumblingMillis(100))
                    .count()
                    .name("tumbling-count").setParallelism(threads)
                    .sinkTo(new CheckingSink<LongWindowResult>(
                            r -> Checksums.of(r.end(), r.key(), r.value()), LongWindowResult::end, tally));
            case SLIDING_AVG -> in.keyByLong(Event::key)
                    .window(Windows.slidingMillis(1000, 100))
                    .avg(Event::value)
                    .name("sliding-avg").setParallelism(threads)
                    .sinkTo(new CheckingSink<DoubleWindowResult>(
                            r -> Checksums.ofAverage(r.end(), r.key(), r.value()), DoubleWindowResult::end, tally));
            case WINDOW_JOIN -> {
                DataStream<Event> right = env.fromSource(new ArraySource(b, events, tally),
                        WatermarkStrategy.forMonotonousTimestamps(), "events-b").setParallelism(splits);
                in.join(right).whereLong(Event::key).equalToLong(Event::key)
                        .window(Windows.tumblingMillis(100))
                        .apply((x, y) -> new JoinedPair(Checksums.tumblingEnd(x.ts(), 100), x.key(), x.value(), y.value()))
                        .name("window-join").setParallelism(threads)
                        .sinkTo(new CheckingSink<JoinedPair>(p -> Checksums.of(p.end(), p.key(), p.a(), p.b()),
                                JoinedPair::end, tally));
            }
            case BAND_JOIN -> {
                DataStream<Event> right = env.fromSource(new ArraySource(b, events, tally),
                        WatermarkStrategy.forMonotonousTimestamps(), "events-b").setParallelism(splits);
                in.join(right).onBand(e -> e.value(), e -> e.value(), Workload.BAND_WIDTH)
                        .withinMillis(Workload.BAND_WITHIN_MS)
                        .apply((x, y) -> new BandPair(Math.max(x.ts(), y.ts()), x.key(), y.key(), x.value(), y.value()))
                        .name("band-join").setParallelism(threads)
                        .sinkTo(new CheckingSink<BandPair>(BandPair::checksum, p -> p.ts() + 1, tally));
            }
            case MULTI_KEY_COUNT -> {
                int keyCount = a.keyCount();
                in.keyByManyLong((Event e, dev.stretch.api.LongKeyCollector keys) -> {
                    for (int j = 0; j < Workload.MULTI_KEYS; j++) {
                        keys.collect(Workload.multiKey(j, e.key(), e.value(), keyCount));
                    }
                })
                        .window(Windows.tumblingMillis(100))
                        .count()
                        .name("multi-key-count").setParallelism(threads)
                        .sinkTo(new CheckingSink<LongWindowResult>(
                                r -> Checksums.of(r.end(), r.key(), r.value()), LongWindowResult::end, tally));
            }
            case PIPELINE_3 -> in.map(e -> new Event(e.ts(), e.key(), e.value() * 2 + 1))
                    .keyByLong(Event::key)
                    .window(Windows.tumblingMillis(100))
                    .sum(Event::value)
                    .name("sum-100ms").setParallelism(threads)
                    .keyByLong(r -> r.key() % 100)
                    .window(Windows.tumblingMillis(1000))
                    .sum(LongWindowResult::value)
                    .name("sum-1s").setParallelism(threads)
                    .sinkTo(new CheckingSink<LongWindowResult>(
                            r -> Checksums.of(r.end(), r.key(), r.value()), LongWindowResult::end, tally));
        }
        return env;
    }

    /** Folds each instance's outputs into the run's {@link OutputTally}. */
    static final class CheckingSink<T> implements Sink<T> {
        private final ToLongFunction<T> hash;
        private final ToLongFunction<T> windowEnd;
        private final OutputTally tally;

        CheckingSink(ToLongFunction<T> hash, ToLongFunction<T> windowEnd, OutputTally tally) {
            this.hash = hash;
            this.windowEnd = windowEnd;
            this.tally = tally;
        }

        @Override
        public SinkWriter<T> createWriter(int instance) {
            OutputTally.Writer w = tally.newWriter();
            return new SinkWriter<>() {
                @Override
                public void write(T element, long timestamp) {
                    w.add(hash.applyAsLong(element), windowEnd.applyAsLong(element));
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }
    }
}
