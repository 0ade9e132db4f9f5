package dev.stretch.bench.flink;

import dev.stretch.bench.Checksums;
import dev.stretch.bench.Dataset;
import dev.stretch.bench.OutputTally;
import dev.stretch.bench.Workload;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.JoinFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.WindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The four workloads as Flink 2.3 DataStream jobs on a local MiniCluster, tuned as a speed-minded user
 * would: see {@link #settings} for every setting and why. All operators (sources included) run at the
 * same parallelism {@code p}; source→(map) chains, keyBy is a serialized exchange, window→sink chains.
 */
public final class FlinkJobs {
    private static final Duration MS100 = Duration.ofMillis(100);

    private FlinkJobs() {
    }

    /**
     * The settings, as (option = value → reason). Throughput runs keep Flink's default buffer timeout (100 ms)
     * and watermark interval (200 ms); latency runs lower both, since they bound how soon a window fires.
     */
    public static Map<String, String> settings(boolean latency, long bufferTimeoutMs, long watermarkIntervalMs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("environment", "StreamExecutionEnvironment.createLocalEnvironment(p, conf): in-JVM MiniCluster, p slots");
        m.put("execution.runtime-mode = STREAMING", "windows and watermarks as in production (BATCH would sort)");
        m.put("pipeline.object-reuse = true", "no defensive copies between chained operators");
        m.put("pipeline.generic-types = false", "fail instead of silently falling back to Kryo");
        m.put("state.backend.type = hashmap", "on-heap state: the fastest backend for state that fits in memory");
        m.put("checkpointing off", "no execution.checkpointing.interval: no snapshot or barrier overhead");
        m.put("execution.buffer-timeout.interval = " + bufferTimeoutMs + " ms",
                latency ? "flush network buffers quickly for low latency" : "default; disabling it was not faster");
        m.put("pipeline.auto-watermark-interval = " + watermarkIntervalMs + " ms",
                latency ? "watermarks (and so window firing) follow event time closely" : "default");
        m.put("serializer", "FlinkEvent with a 24-byte TypeSerializer via @TypeInfo (POJO/Kryo/Tuple are slower)");
        m.put("source", "FLIP-27, one strided split per subtask over pre-generated columns, per-split watermarks "
                + "(forMonotonousTimestamps); nothing holds windows back");
        m.put("aggregates", "incremental AggregateFunction with a mutable long[] accumulator + WindowFunction "
                + "for key and window; sliding windows via SlidingEventTimeWindows (Flink's idiomatic API)");
        m.put("sink", "Sink V2 writer chained to the window operator, counting and hashing in place");
        m.put("parallelism", "all operators at p (sources: p splits per input)");
        return m;
    }

    public static StreamExecutionEnvironment environment(int parallelism, long bufferTimeoutMs, long watermarkIntervalMs) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(watermarkIntervalMs));
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(bufferTimeoutMs));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    /** Adds the workload's job to {@code env}; the input streams are {@code a} and (join) {@code b}. */
    public static void build(StreamExecutionEnvironment env, Workload w, int parallelism, Dataset a, Dataset b,
            long events) {
        FlinkArraySource.DATA[0] = a;
        FlinkArraySource.DATA[1] = b;
        DataStream<FlinkEvent> in = source(env, 0, events, parallelism, "events-a");
        switch (w) {
            case TUMBLING_COUNT -> in.keyBy(new KeyOf(), Types.LONG)
                    .window(TumblingEventTimeWindows.of(MS100))
                    .aggregate(new Count(), new EmitEvent())
                    .sinkTo(new CheckingSink<>(new HashEvent(), new EndOfEvent()));
            case SLIDING_AVG -> in.keyBy(new KeyOf(), Types.LONG)
                    .window(SlidingEventTimeWindows.of(Duration.ofMillis(1000), MS100))
                    .aggregate(new Average(), new EmitAverage())
                    .sinkTo(new CheckingSink<>(new HashAverage(), new EndOfAverage()));
            case WINDOW_JOIN -> {
                DataStream<FlinkEvent> right = source(env, 1, events, parallelism, "events-b");
                in.join(right)
                        .where(new KeyOf(), Types.LONG)
                        .equalTo(new KeyOf(), Types.LONG)
                        .window(TumblingEventTimeWindows.of(MS100))
                        .apply(new Pair(), Types.TUPLE(Types.LONG, Types.LONG, Types.LONG, Types.LONG))
                        .sinkTo(new CheckingSink<>(new HashPair(), new EndOfPair()));
            }
            case MULTI_KEY_COUNT -> in.flatMap(new MultiKeys(a.keyCount()))
                    .keyBy(new KeyOf(), Types.LONG)
                    .window(TumblingEventTimeWindows.of(MS100))
                    .aggregate(new Count(), new EmitEvent())
                    .sinkTo(new CheckingSink<>(new HashEvent(), new EndOfEvent()));
            case BAND_JOIN -> throw new IllegalArgumentException(
                    "band-join has no Flink contender: Flink's DataStream joins need a key");
            case PIPELINE_3 -> in.map(new TimesTwoPlusOne())
                    .keyBy(new KeyOf(), Types.LONG)
                    .window(TumblingEventTimeWindows.of(MS100))
                    .aggregate(new Sum(), new EmitEvent())
                    .keyBy(new KeyMod100(), Types.LONG)
                    .window(TumblingEventTimeWindows.of(Duration.ofMillis(1000)))
                    .aggregate(new Sum(), new EmitEvent())
                    .sinkTo(new CheckingSink<>(new HashEvent(), new EndOfEvent()));
        }
    }

    private static DataStream<FlinkEvent> source(StreamExecutionEnvironment env, int stream, long events, int splits,
            String name) {
        WatermarkStrategy<FlinkEvent> wm = WatermarkStrategy.<FlinkEvent>forMonotonousTimestamps()
                .withTimestampAssigner((e, t) -> e.ts);
        return env.fromSource(new FlinkArraySource(stream, events, splits), wm, name);
    }

    // ------------------------------------------------------------------ functions

    static final class KeyOf implements KeySelector<FlinkEvent, Long> {
        @Override
        public Long getKey(FlinkEvent e) {
            return e.key;
        }
    }

    static final class KeyMod100 implements KeySelector<FlinkEvent, Long> {
        @Override
        public Long getKey(FlinkEvent e) {
            return e.key % 100;
        }
    }

    /** One copy of the event per key (Workload#multiKey): what a shared-nothing engine must send. */
    static final class MultiKeys implements org.apache.flink.api.common.functions.FlatMapFunction<FlinkEvent, FlinkEvent> {
        private final int keyCount;

        MultiKeys(int keyCount) {
            this.keyCount = keyCount;
        }

        @Override
        public void flatMap(FlinkEvent e, org.apache.flink.util.Collector<FlinkEvent> out) {
            for (int j = 0; j < Workload.MULTI_KEYS; j++) {
                out.collect(new FlinkEvent(e.ts, Workload.multiKey(j, e.key, e.value, keyCount), e.value));
            }
        }
    }

    static final class TimesTwoPlusOne implements MapFunction<FlinkEvent, FlinkEvent> {
        @Override
        public FlinkEvent map(FlinkEvent e) {
            e.value = e.value * 2 + 1; // in place: object reuse is on and nothing upstream keeps the event
            return e;
        }
    }

    /** Mutable {@code long[]} accumulators: no boxing per event with the heap backend. */
    static final class Count implements AggregateFunction<FlinkEvent, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(FlinkEvent e, long[] acc) {
            acc[0]++;
            return acc;
        }

        @Override
        public Long getResult(long[] acc) {
            return acc[0];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            return a;
        }
    }

    static final class Sum implements AggregateFunction<FlinkEvent, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(FlinkEvent e, long[] acc) {
            acc[0] += e.value;
            return acc;
        }

        @Override
        public Long getResult(long[] acc) {
            return acc[0];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            return a;
        }
    }

    static final class Average implements AggregateFunction<FlinkEvent, long[], Double> {
        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(FlinkEvent e, long[] acc) {
            acc[0] += e.value;
            acc[1]++;
            return acc;
        }

        @Override
        public Double getResult(long[] acc) {
            return (double) acc[0] / acc[1];
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }
    }

    /** (windowEnd, key, aggregate) as an event; Flink emits it with timestamp windowEnd − 1. */
    static final class EmitEvent implements WindowFunction<Long, FlinkEvent, Long, TimeWindow> {
        @Override
        public void apply(Long key, TimeWindow w, Iterable<Long> in, Collector<FlinkEvent> out) {
            out.collect(new FlinkEvent(w.getEnd(), key, in.iterator().next()));
        }
    }

    static final class EmitAverage implements WindowFunction<Double, Tuple3<Long, Long, Double>, Long, TimeWindow> {
        @Override
        public void apply(Long key, TimeWindow w, Iterable<Double> in, Collector<Tuple3<Long, Long, Double>> out) {
            out.collect(Tuple3.of(w.getEnd(), key, in.iterator().next()));
        }
    }

    /** (windowEnd, key, a.value, b.value); a join function does not see its window, so the end is computed. */
    static final class Pair implements JoinFunction<FlinkEvent, FlinkEvent, Tuple4<Long, Long, Long, Long>> {
        @Override
        public Tuple4<Long, Long, Long, Long> join(FlinkEvent a, FlinkEvent b) {
            return Tuple4.of(Checksums.tumblingEnd(a.ts, 100), a.key, a.value, b.value);
        }
    }

    // ------------------------------------------------------------------ checking sink

    /** Hash of one output record. */
    interface Hasher<T> extends Serializable {
        long hash(T t);
    }

    /** Window end of one output record (for latency). */
    interface WindowEnd<T> extends Serializable {
        long end(T t);
    }

    static final class HashEvent implements Hasher<FlinkEvent> {
        @Override
        public long hash(FlinkEvent e) {
            return Checksums.of(e.ts, e.key, e.value);
        }
    }

    static final class EndOfEvent implements WindowEnd<FlinkEvent> {
        @Override
        public long end(FlinkEvent e) {
            return e.ts;
        }
    }

    static final class HashAverage implements Hasher<Tuple3<Long, Long, Double>> {
        @Override
        public long hash(Tuple3<Long, Long, Double> t) {
            return Checksums.ofAverage(t.f0, t.f1, t.f2);
        }
    }

    static final class EndOfAverage implements WindowEnd<Tuple3<Long, Long, Double>> {
        @Override
        public long end(Tuple3<Long, Long, Double> t) {
            return t.f0;
        }
    }

    static final class HashPair implements Hasher<Tuple4<Long, Long, Long, Long>> {
        @Override
        public long hash(Tuple4<Long, Long, Long, Long> t) {
            return Checksums.of(t.f0, t.f1, t.f2, t.f3);
        }
    }

    static final class EndOfPair implements WindowEnd<Tuple4<Long, Long, Long, Long>> {
        @Override
        public long end(Tuple4<Long, Long, Long, Long> t) {
            return t.f0;
        }
    }

    /** Sink V2 folding each writer's outputs into the run's {@link OutputTally} (same JVM). */
    static final class CheckingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final Hasher<T> hasher;
        private final WindowEnd<T> windowEnd;

        CheckingSink(Hasher<T> hasher, WindowEnd<T> windowEnd) {
            this.hasher = hasher;
            this.windowEnd = windowEnd;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            OutputTally.Writer w = OutputTally.current().newWriter();
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    w.add(hasher.hash(element), windowEnd.end(element));
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                    w.close();
                }
            };
        }
    }
}
