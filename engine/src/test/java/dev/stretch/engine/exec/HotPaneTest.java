package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.DataStream;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.Windows;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Primitive aggregates adding a tuple of a key its pane already holds through the key group's copy of the
 * pane's arrays ({@code KeyGroupState.addHot}) give exactly what the path through the pane table gives
 * ({@code -Dstretch.state.hotPane=false}): same results in the same order at one instance, the same
 * results at several instances in both modes, for count, sum, min, max and average, tumbling and sliding,
 * with keys that hit the table's special cases (0, negative, multiples of 2^40) and enough keys per key
 * group to make the pane tables grow while their arrays are in use.
 */
class HotPaneTest {
    private static final String SWITCH = "stretch.state.hotPane";

    @ParameterizedTest
    @CsvSource({"count, 100, 100", "sum, 100, 100", "min, 200, 50", "max, 100, 100", "avg, 300, 100",
        "count, 200, 50", "sum, 150, 50"})
    void shouldGiveWhatThePaneTablePathGives(String agg, long size, long slide) {
        List<Timed<Event>> in = events(agg.hashCode(), 30_000);

        List<String> cold = run(in, agg, size, slide, ExecutionMode.VSN, 1, "false");
        List<String> hot = run(in, agg, size, slide, ExecutionMode.VSN, 1, "true");

        assertThat(hot).hasSizeGreaterThan(1000).containsExactlyElementsOf(cold);
        for (ExecutionMode mode : ExecutionMode.values()) {
            assertThat(run(in, agg, size, slide, mode, 3, "true")).as(mode + " at 3 instances")
                    .containsExactlyInAnyOrderElementsOf(cold);
        }
    }

    /** Timestamps over ~1.5 s; keys: many small ones, 0, negatives, multiples of 2^40. */
    private static List<Timed<Event>> events(long seed, int n) {
        Random r = new Random(seed);
        List<Timed<Event>> out = new ArrayList<>();
        long ts = 0;
        for (int i = 0; i < n; i++) {
            if (r.nextInt(20) == 0) {
                ts++;
            }
            long key = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> -r.nextInt(300);
                case 2 -> ((long) r.nextInt(200)) << 40;
                default -> r.nextInt(5000);
            };
            out.add(new Timed<>(ts, new Event(ts, key, r.nextInt(1000) - 500)));
        }
        return out;
    }

    private static List<String> run(List<Timed<Event>> in, String agg, long size, long slide, ExecutionMode mode,
            int parallelism, String hot) {
        String before = System.getProperty(SWITCH);
        System.setProperty(SWITCH, hot);
        try {
            StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).build());
            DataStream<Event> s = env.fromSource(new ArraySource<>(List.of(in), 1),
                    WatermarkStrategy.forMonotonousTimestamps(), "in");
            Windows w = size == slide ? Windows.tumblingMillis(size) : Windows.slidingMillis(size, slide);
            var windowed = s.keyByLong(Event::key).window(w);
            DataStream<?> out = switch (agg) {
                case "count" -> windowed.count();
                case "sum" -> windowed.sum(Event::value);
                case "min" -> windowed.min(Event::value);
                case "max" -> windowed.max(Event::value);
                case "avg" -> windowed.avg(Event::value);
                default -> throw new IllegalArgumentException(agg);
            };
            CollectingSink<String> sink = new CollectingSink<>();
            out.name("agg").setParallelism(parallelism).map(String::valueOf).sinkTo(sink);
            JobExecution exec = env.start("hot-pane");
            exec.awaitTermination(Duration.ofSeconds(60));
            assertThat(exec.status()).isEqualTo(JobExecution.Status.FINISHED);
            return sink.values();
        } finally {
            if (before == null) {
                System.clearProperty(SWITCH);
            } else {
                System.setProperty(SWITCH, before);
            }
        }
    }
}
