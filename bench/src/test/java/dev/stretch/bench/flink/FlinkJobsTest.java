package dev.stretch.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.bench.Dataset;
import dev.stretch.bench.HandLoop;
import dev.stretch.bench.OutputTally;
import dev.stretch.bench.Workload;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Flink's job gives the hand loop's output on the workload with the most semantics to get right (sliding
 * windows that start before 0 and outlive the input), on two subtasks. One MiniCluster: a few seconds.
 */
class FlinkJobsTest {

    @Test
    void shouldMatchTheHandLoopOnMultiKeyCountsWithACopyPerKey() throws Exception {
        long n = 40_000;
        Dataset a = Dataset.generate(Workload.SEED_A, 500, true, n, 20);
        OutputTally tally = OutputTally.begin(null, 0);
        StreamExecutionEnvironment env = FlinkJobs.environment(2, 100, 200);
        FlinkJobs.build(env, Workload.MULTI_KEY_COUNT, 2, a, null, n);
        env.execute("test");
        assertThat(new long[] {tally.outputs(), tally.checksum()})
                .containsExactly(HandLoop.run(Workload.MULTI_KEY_COUNT, a, null, n));
    }

    @Test
    void shouldMatchTheHandLoopOnSlidingWindows() throws Exception {
        long n = 40_000;
        Dataset a = Dataset.generate(Workload.SEED_A, 500, true, n, 20);
        OutputTally tally = OutputTally.begin(null, 0);
        StreamExecutionEnvironment env = FlinkJobs.environment(2, 100, 200);
        FlinkJobs.build(env, Workload.SLIDING_AVG, 2, a, null, n);
        env.execute("test");
        assertThat(new long[] {tally.outputs(), tally.checksum()})
                .containsExactly(HandLoop.run(Workload.SLIDING_AVG, a, null, n));
    }
}
