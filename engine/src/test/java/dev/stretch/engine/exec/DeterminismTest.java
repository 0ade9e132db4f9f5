package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.ExecutionMode;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.Jobs;
import dev.stretch.engine.testing.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Same input, same output, in the same order, whatever the mode (VSN or SN) and the number of instances
 * (1..8): for every job of {@link Jobs}, over random inputs with uniform, skewed and hot-key
 * distributions, sorted and out of order within the allowed lateness (with some late elements, which
 * must be counted and dropped). The 1-instance run must also match an independent reference. Window ends
 * at every position of an instance's 64-tuple chunk are enumerated by {@link WindowEndPositionTest} (whole
 * jobs, split/instance layouts) and {@link OwnedTupleScanTest} (the scan, position by position).
 *
 * <p>Theta joins: SN mode compares each pair at the left element's instance where VSN mode compares it at
 * the earlier element's (see {@code ScaleJoinScan}), so SN runs must equal the 1-instance SN run exactly
 * and the VSN run as a multiset.
 */
class DeterminismTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Workload.Keys[] dists = Workload.Keys.values();
        for (int seed = 1; seed <= 6; seed++) {
            for (String job : Jobs.NAMES) {
                Workload.Keys keys = dists[(seed + job.length()) % dists.length];
                long disorder = seed % 2 == 0 ? 0 : 20 + seed;
                out.add(Arguments.of(job, (long) seed, keys, disorder));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1} {2} disorder {3}")
    @MethodSource("cases")
    void shouldGiveIdenticalOutputAtEveryParallelismInBothModes(String job, long seed, Workload.Keys keys, long disorder) {
        int keyCount = keys == Workload.Keys.HOT_KEY ? 40 : 300;
        int lateEvery = disorder > 0 ? 200 : 0;
        Jobs.Input in = Jobs.input(seed, keys, keyCount, Jobs.isJoin(job) ? 1500 : 4000, disorder, lateEvery);

        Jobs.Result base = Jobs.run(in, new Jobs.Run(job, ExecutionMode.VSN, 1), seed, e -> { });
        List<String> sorted = new ArrayList<>(base.lines());
        sorted.sort(null);
        assertThat(sorted).as("single instance vs reference").isEqualTo(Jobs.reference(job, in));
        assertThat(base.lines()).isNotEmpty();
        OperatorMetrics left = base.execution().metrics().operator("left").orElseThrow();
        assertThat(left.lateTuples()).as("late elements counted").isEqualTo(Jobs.lateCount(in.left(), disorder));

        List<String> snBase = null;
        for (ExecutionMode mode : ExecutionMode.values()) {
            for (int p = 1; p <= 8; p++) {
                if (mode == ExecutionMode.VSN && p == 1) {
                    continue;
                }
                Jobs.Result r = Jobs.run(in, new Jobs.Run(job, mode, p), seed * 13 + p, e -> { });
                if (mode == ExecutionMode.SN && Jobs.isThetaJoin(job)) {
                    if (snBase == null) {
                        snBase = r.lines();
                        List<String> snSorted = new ArrayList<>(snBase);
                        snSorted.sort(null);
                        assertThat(snSorted).as("SN: the same pairs as VSN").isEqualTo(sorted);
                    }
                    assertThat(r.lines()).as("%s with %d instances", mode, p).isEqualTo(snBase);
                    continue;
                }
                assertThat(r.lines()).as("%s with %d instances", mode, p).isEqualTo(base.lines());
            }
        }
    }
}
