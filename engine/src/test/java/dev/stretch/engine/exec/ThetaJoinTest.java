package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.DataStream;
import dev.stretch.api.DeadLetter;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import dev.stretch.engine.testing.Jobs;
import dev.stretch.engine.testing.Workload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a theta join (ScaleJoin) costs and how it fails, in both modes: every element is stored once
 * (VSN: by the owner of its bucket; SN: the left side by its owner, the right side kept by every instance
 * but counted once), SN mode broadcasts the right side and nothing else, and an element whose band value
 * cannot be read is one dead letter, not one per instance. (Output: the determinism and elasticity suites,
 * jobs {@code band-join} and {@code theta-join}.)
 */
class ThetaJoinTest {

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void shouldStoreEachElementOnceAndBroadcastOnlyTheRightSideInSnMode(ExecutionMode mode) {
        Jobs.Input in = Jobs.input(5, Workload.Keys.UNIFORM, 300, 1500, 0, 0);
        int n = 4;
        Jobs.Result r = Jobs.run(in, new Jobs.Run("band-join", mode, n), 5, e -> { });

        long left = Jobs.live(in.left(), 0).size();
        long right = Jobs.live(in.right(), 0).size();
        OperatorMetrics join = r.execution().metrics().operator("agg").orElseThrow();
        assertThat(join.tuplesIn()).as("stored once each").isEqualTo(left + right);
        assertThat(r.execution().metrics().operator("left").orElseThrow().tuplesOut()).isEqualTo(left);
        assertThat(r.execution().metrics().operator("right").orElseThrow().tuplesOut())
                .as("right side: once in VSN mode, to every instance in SN mode")
                .isEqualTo(mode == ExecutionMode.VSN ? right : n * right);
        assertThat(r.lines()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void shouldDeadLetterAnElementWhoseBandValueCannotBeReadOnceAndJoinTheRest(ExecutionMode mode) {
        List<List<Timed<Event>>> left = List.of(List.of(new Timed<>(10, new Event(10, 1, 5)),
                new Timed<>(11, new Event(11, 2, -1)), new Timed<>(12, new Event(12, 3, 7))));
        List<List<Timed<Event>>> right = List.of(List.of(new Timed<>(10, new Event(10, 9, 6)),
                new Timed<>(30, new Event(30, 8, 100))));
        List<DeadLetter> dead = new ArrayList<>();
        JobConfig cfg = JobConfig.builder().mode(mode).defaultParallelism(3).errorPolicy(ErrorPolicy.DEAD_LETTER)
                .deadLetterSink(i -> (d, ts) -> {
                    synchronized (dead) {
                        dead.add(d);
                    }
                }).build();
        StreamEnvironment env = StreamEnvironment.create(cfg);
        CollectingSink<String> sink = new CollectingSink<>();
        DataStream<Event> l = env.fromSource(new ArraySource<>(left, 1, 1_000_000, () -> true),
                WatermarkStrategy.forMonotonousTimestamps(), "left").setParallelism(1);
        DataStream<Event> rt = env.fromSource(new ArraySource<>(right, 2, 1_000_000, () -> true),
                WatermarkStrategy.forMonotonousTimestamps(), "right").setParallelism(1);
        l.join(rt).onBand(a -> {
            if (a.value() < 0) {
                throw new IllegalStateException("no value");
            }
            return a.value();
        }, b -> (double) b.value(), 1).withinMillis(5)
                .apply((a, b) -> a.key() + "-" + b.key())
                .name("join").setParallelism(3)
                .sinkTo(sink).disableChaining();
        JobExecution exec = env.start("bad-band");
        exec.awaitTermination();

        assertThat(sink.lines()).containsExactly("10 1-9", "12 3-9");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).operator()).isEqualTo("join");
        assertThat(dead.get(0).record()).contains("key=2");
    }
}
