package dev.stretch.runtime.autoscale;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import dev.stretch.api.StreamApplication;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job whose input rate steps up and back down, with a deliberately expensive aggregate so that one
 * thread cannot keep up during the step. Event timestamps follow the rate schedule, not the wall clock, so
 * the output is the same whether the job is paced in real time or not, and whatever its thread count.
 *
 * <p>Args: run id, paced (true/false), low rate, high rate, low seconds, high seconds, tail seconds.
 */
public final class StepLoadApplication implements StreamApplication {
    static final Map<String, List<String>> OUTPUT = new ConcurrentHashMap<>();

    /** An event of the test job. */
    public record Event(long ts, long key, long value) {
    }

    @Override
    public void define(StreamEnvironment env, List<String> args) {
        String run = args.get(0);
        boolean paced = Boolean.parseBoolean(args.get(1));
        double low = Double.parseDouble(args.get(2));
        double high = Double.parseDouble(args.get(3));
        double lowSecs = Double.parseDouble(args.get(4));
        double highSecs = Double.parseDouble(args.get(5));
        double tailSecs = Double.parseDouble(args.get(6));
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        OUTPUT.put(run, out);
        env.fromSource(new StepSource(paced, low, high, lowSecs, highSecs, tailSecs), WatermarkStrategy.forMonotonousTimestamps(),
                        "steps")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(500))
                .aggregate(new Expensive(), (k, w, v) -> k + "@" + w.end() + "=" + v)
                .name("heavy")
                .sinkTo(i -> (e, ts) -> out.add(ts + " " + e)).name("collect")
                .disableChaining(); // one writer, output in one deterministic order (compared with the fixed run)
    }

    /** Sums a value derived from each element by a deliberately long hash chain (~150 µs). */
    static final class Expensive implements AggregateFunction<Event, long[], Long> {
        @Override
        public long[] createAccumulator() {
            return new long[1];
        }

        @Override
        public long[] add(Event e, long[] acc) {
            long h = e.value();
            for (int i = 0; i < 100_000; i++) {
                h = h * 0x9E3779B97F4A7C15L + i;
                h ^= h >>> 29;
            }
            acc[0] += h & 0xFFFF;
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

    /** One split following the step schedule: event i at the time the schedule's integral reaches i. */
    static final class StepSource implements Source<Event> {
        private final boolean paced;
        private final double low;
        private final double high;
        private final double t1;
        private final double t2;
        private final double t3;

        StepSource(boolean paced, double low, double high, double lowSecs, double highSecs, double tailSecs) {
            this.paced = paced;
            this.low = low;
            this.high = high;
            this.t1 = lowSecs;
            this.t2 = lowSecs + highSecs;
            this.t3 = lowSecs + highSecs + tailSecs;
        }

        /** Event time (seconds since start) of event i. */
        double timeOf(long i) {
            double n1 = low * t1;
            double n2 = n1 + high * (t2 - t1);
            if (i < n1) {
                return i / low;
            }
            if (i < n2) {
                return t1 + (i - n1) / high;
            }
            return t2 + (i - n2) / low;
        }

        @Override
        public SplitReader<Event> createReader(int split, int splitCount) {
            long total = (long) (low * t1 + high * (t2 - t1) + low * (t3 - t2));
            long start = System.nanoTime();
            SplittableRandom rnd = new SplittableRandom(99);
            return new SplitReader<>() {
                long i;

                @Override
                public ReadResult read(dev.stretch.api.SourceOutput<Event> out) {
                    if (i >= total) {
                        return ReadResult.end();
                    }
                    double now = (System.nanoTime() - start) / 1e9;
                    int n = 0;
                    while (i < total && n < 2000) {
                        double t = timeOf(i);
                        if (paced && t > now) {
                            out.markProgress((long) (t * 1000) - 1);
                            return ReadResult.idle((long) ((t - now) * 1e9));
                        }
                        long ts = (long) (t * 1000);
                        out.collect(new Event(ts, rnd.nextInt(64), rnd.nextInt(1000)), ts);
                        i++;
                        n++;
                    }
                    return ReadResult.more();
                }
            };
        }
    }
}
