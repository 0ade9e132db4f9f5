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
 * The equi window join's columnar pane state ({@code JoinPaneProgram}) against the general form it replaces
 * ({@code -Dstretch.join.columns=false}: one user pane object per key) and against a brute-force statement of
 * the join: the same pairs, in the same order at one instance, for tumbling and sliding windows, with keys
 * repeated within and across panes, keys on one side only, and at several instances in both modes.
 */
class ColumnarJoinTest {
    private static final String SWITCH = "stretch.join.columns";

    @ParameterizedTest
    @CsvSource({"100, 100, 1", "200, 50, 3", "150, 30, 7"})
    void shouldEmitTheSamePairsInTheSameOrderAsTheGeneralForm(long size, long slide, long seed) {
        List<Timed<Event>> left = events(seed, 600, 12);
        List<Timed<Event>> right = events(seed + 100, 500, 15);
        List<String> reference = bruteForce(left, right, size, slide);

        List<String> general = run(left, right, size, slide, ExecutionMode.VSN, 1, "false");
        List<String> columns = run(left, right, size, slide, ExecutionMode.VSN, 1, "true");

        assertThat(columns).as("columnar, one instance: same pairs, same order").containsExactlyElementsOf(general);
        assertThat(columns).containsExactlyInAnyOrderElementsOf(reference);
        for (ExecutionMode mode : ExecutionMode.values()) {
            for (int p : new int[] {2, 3}) {
                assertThat(run(left, right, size, slide, mode, p, "true")).as(mode + " at " + p + " instances")
                        .containsExactlyInAnyOrderElementsOf(reference);
            }
        }
    }

    /** {@code n} events, timestamps non-decreasing over ~1 s, keys in [0, keys), key 99 only on this side. */
    private static List<Timed<Event>> events(long seed, int n, int keys) {
        Random r = new Random(seed);
        List<Timed<Event>> out = new ArrayList<>();
        long ts = 0;
        for (int i = 0; i < n; i++) {
            ts += r.nextInt(4);
            long key = r.nextInt(20) == 0 ? 99 + seed : r.nextInt(keys);
            out.add(new Timed<>(ts, new Event(ts, key, i)));
        }
        return out;
    }

    private static List<String> bruteForce(List<Timed<Event>> left, List<Timed<Event>> right, long size, long slide) {
        List<String> out = new ArrayList<>();
        long maxTs = Math.max(left.get(left.size() - 1).ts(), right.get(right.size() - 1).ts());
        for (long start = -size + slide; start <= maxTs; start += slide) {
            long end = start + size;
            for (Timed<Event> a : left) {
                for (Timed<Event> b : right) {
                    if (a.ts() >= start && a.ts() < end && b.ts() >= start && b.ts() < end
                            && a.value().key() == b.value().key()) {
                        out.add(pair(end, a.value(), b.value()));
                    }
                }
            }
        }
        return out;
    }

    private static String pair(long end, Event a, Event b) {
        return a.key() + ":" + a.value() + "+" + b.value(); // the window shows in how often a pair appears
    }

    private static List<String> run(List<Timed<Event>> left, List<Timed<Event>> right, long size, long slide,
            ExecutionMode mode, int parallelism, String columns) {
        String before = System.getProperty(SWITCH);
        System.setProperty(SWITCH, columns);
        try {
            StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().mode(mode).build());
            DataStream<Event> l = env.fromSource(new ArraySource<>(List.of(left), 1),
                    WatermarkStrategy.forMonotonousTimestamps(), "left");
            DataStream<Event> r = env.fromSource(new ArraySource<>(List.of(right), 2),
                    WatermarkStrategy.forMonotonousTimestamps(), "right");
            CollectingSink<String> out = new CollectingSink<>();
            Windows w = size == slide ? Windows.tumblingMillis(size) : Windows.slidingMillis(size, slide);
            l.join(r).whereLong(Event::key).equalToLong(Event::key).window(w)
                    .apply((a, b) -> a.key() + ":" + a.value() + "+" + b.value())
                    .name("join").setParallelism(parallelism)
                    .sinkTo(out);
            JobExecution exec = env.start("columnar-join");
            exec.awaitTermination(Duration.ofSeconds(30));
            assertThat(exec.status()).isEqualTo(JobExecution.Status.FINISHED);
            return out.values();
        } finally {
            if (before == null) {
                System.clearProperty(SWITCH);
            } else {
                System.setProperty(SWITCH, before);
            }
        }
    }
}
