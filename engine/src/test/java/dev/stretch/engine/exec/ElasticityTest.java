package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.ExecutionMode;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.engine.testing.Jobs;
import dev.stretch.engine.testing.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Determinism under elasticity: while a job runs, a controller rescales its keyed operators at random
 * (1..16 instances, growing and shrinking, at least 100 times per run, wherever the input happens to be:
 * inside windows, at their boundaries, under skew). The output must equal the run without any
 * reconfiguration, tuple for tuple and in order.
 */
class ElasticityTest {
    private static final int RECONFIGURATIONS = 100;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Workload.Keys[] dists = Workload.Keys.values();
        for (int seed = 1; seed <= 5; seed++) {
            for (String job : Jobs.NAMES) {
                out.add(Arguments.of(job, (long) seed, dists[(seed + job.length()) % dists.length]));
            }
        }
        return out.stream();
    }

    /** Rescales, and prints where every instance stands if the change takes suspiciously long. */
    private static ReconfigurationResult reconfigureWatched(dev.stretch.api.JobExecution exec, String op, int n) {
        Thread caller = Thread.currentThread();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(20_000);
                System.err.println("reconfiguration " + op + " -> " + n + " still not active after 20 s:\n"
                        + ((JobRunner) exec).describe());
                caller.interrupt();
            } catch (InterruptedException e) {
                // finished in time
            }
        }, "reconfiguration-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            return exec.reconfigure(op, n);
        } finally {
            watchdog.interrupt();
        }
    }

    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    @ParameterizedTest(name = "{0} seed {1} {2}")
    @MethodSource("cases")
    void shouldGiveTheSameOutputWhileBeingRescaledAtRandom(String job, long seed, Workload.Keys keys) {
        long disorder = seed % 2 == 0 ? 0 : 15;
        Jobs.Input in = Jobs.input(seed, keys, keys == Workload.Keys.HOT_KEY ? 40 : 500,
                Jobs.isJoin(job) ? 12_000 : 40_000, disorder, disorder > 0 ? 300 : 0);
        Jobs.Result base = Jobs.run(in, new Jobs.Run(job, ExecutionMode.VSN, 1), seed, e -> { });

        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003);
        AtomicInteger done = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean mayEnd = new java.util.concurrent.atomic.AtomicBoolean();
        List<ReconfigurationResult> results = new ArrayList<>();
        Jobs.Result elastic = Jobs.run(in, new Jobs.Run(job, ExecutionMode.VSN, 1 + rnd.nextInt(16)), seed + 1, exec -> {
            // keyed operators 1..16 instances; the source's threads 1..its splits now and then
            List<String> ops = job.equals("pipeline-3") ? List.of("agg", "agg2", "agg", "agg2", "left")
                    : List.of("agg", "agg", "agg", "left");
            while (done.get() < RECONFIGURATIONS) {
                String op = ops.get(rnd.nextInt(ops.size()));
                int max = exec.elasticOperators().stream().filter(o -> o.name().equals(op)).findFirst().orElseThrow().max();
                int n = 1 + rnd.nextInt(Math.min(16, max));
                if (n == exec.instances(op)) {
                    continue;
                }
                ReconfigurationResult r = reconfigureWatched(exec, op, n);
                results.add(r);
                assertThat(r.to()).isEqualTo(n);
                assertThat(exec.instances(op)).isEqualTo(n);
                done.incrementAndGet();
            }
            mayEnd.set(true); // the sources may end only after the last reconfiguration
            if (!exec.awaitTermination(java.time.Duration.ofSeconds(60))) {
                String state = ((JobRunner) exec).describe();
                exec.cancel();
                throw new AssertionError("job did not finish within 60 s of its last reconfiguration:\n" + state);
            }
        }, 8, mayEnd::get);

        assertThat(done.get()).isGreaterThanOrEqualTo(RECONFIGURATIONS);
        long lastInput = in.left().stream().flatMap(List::stream).mapToLong(t -> t.ts()).max().orElseThrow();
        long whileFlowing = results.stream().filter(r -> r.switchTimestamp() < lastInput - 200).count();
        assertThat(whileFlowing).as("reconfigurations that happened while input was flowing")
                .isGreaterThanOrEqualTo(RECONFIGURATIONS / 4);
        assertThat(elastic.lines()).as("output under %d reconfigurations", results.size()).isEqualTo(base.lines());
        long recorded = elastic.execution().metrics().operators().stream()
                .filter(o -> o.name().startsWith("agg") || o.name().equals("left")).mapToLong(o -> o.reconfigurations()).sum();
        assertThat(recorded).isEqualTo(results.size());
    }

}
