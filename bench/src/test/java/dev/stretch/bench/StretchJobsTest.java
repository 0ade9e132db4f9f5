package dev.stretch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.ExecutionMode;
import dev.stretch.api.JobExecution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** This engine's jobs give the hand loop's output count and checksum, in both modes, on a small input. */
class StretchJobsTest {

    @ParameterizedTest
    @CsvSource({"TUMBLING_COUNT,VSN,2", "TUMBLING_COUNT,SN,2", "SLIDING_AVG,VSN,2", "SLIDING_AVG,SN,1",
        "WINDOW_JOIN,VSN,2", "WINDOW_JOIN,SN,2", "PIPELINE_3,VSN,2", "PIPELINE_3,SN,2",
        "BAND_JOIN,VSN,2", "BAND_JOIN,SN,2", "MULTI_KEY_COUNT,VSN,2", "MULTI_KEY_COUNT,SN,2"})
    void shouldMatchTheHandLoop(Workload w, ExecutionMode mode, int threads) {
        long n = 40_000;
        Dataset a = Dataset.generate(Workload.SEED_A, 500, true, n, w.eventsPerMs(true));
        Dataset b = Dataset.generate(Workload.SEED_B, 500, true, n, w.eventsPerMs(true));
        OutputTally tally = OutputTally.begin(null, 0);
        JobExecution job = StretchJobs.build(w, mode, threads, threads, a, b, n, tally).execute("test");
        assertThat(job.status()).isEqualTo(JobExecution.Status.FINISHED);
        assertThat(new long[] {tally.outputs(), tally.checksum()}).containsExactly(HandLoop.run(w, a, b, n));
    }
}
