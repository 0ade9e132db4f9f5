package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The cluster policy in a closed loop over synthetic load traces, one sample per simulated second on a fake clock:
 * a fluid model of a job whose keyed operator {@code agg} runs {@code threads} threads in each of {@code pods} pods,
 * each thread processing at most {@link #PER_THREAD} tuples/s (the planner never gives a pod more threads than its
 * CPU feeds, so CPU shows only as the thread capacity). Applied steps take effect from the next second.
 */
class ClusterAutoscalerTraceTest {
    static final double PER_THREAD = 1000;
    static final AutoscalerConfig CONFIG = AutoscalerConfig.defaults()
            .with(AutoscalerOptions.METRIC_WINDOW, Duration.ofSeconds(5))
            .with(AutoscalerOptions.STABILIZATION, Duration.ofSeconds(10))
            .with(AutoscalerOptions.SCALE_DOWN_DELAY, Duration.ofSeconds(30));
    /** One thread per core; CPU 1..4 cores in place; 1..4 pods; at most 4 threads of an operator per pod. */
    static final PodLimits LIMITS = PodLimits.resizableCpu(1, 1, 4, 1, 1, 4).withMaxThreadsPerOperator(4);
    static final ClusterAutoscaler.Settings SETTINGS = new ClusterAutoscaler.Settings(Duration.ofSeconds(20),
            Duration.ofSeconds(60), 0.5, 4096, List.of());

    /** One simulated second: the layout during it, the load, and the decision made at its end. */
    record Tick(long second, PodLayout layout, double input, double backlog, double heldBack, double backpressure,
            ClusterDecision decision) {
        int threadsTotal() {
            return layout.totalThreads("agg");
        }
    }

    record Run(List<Tick> ticks) {
        List<Tick> applied() {
            return ticks.stream().filter(t -> t.decision().apply()).toList();
        }

        List<ScalingLevel> levels() {
            return applied().stream().map(t -> t.decision().step().level()).toList();
        }

        Tick at(long second) {
            return ticks.get((int) second);
        }

        long changesBetween(long from, long to) {
            return applied().stream().filter(t -> t.second() >= from && t.second() < to).count();
        }
    }

    /** Replays {@code load} (tuples/s at second t; NaN = the metrics of that second are missing). */
    static Run run(PodLayout start, long seconds, DoubleUnaryOperator load) {
        return run(start, seconds, load, Double.POSITIVE_INFINITY, 1.0);
    }

    /**
     * Replays {@code load} into an operator whose input queue holds at most {@code queueCapacity} tuples, as the
     * engine's bounded gates do: what does not fit waits at the source (held back, the source back-pressured for
     * that share of its time) and enters later. The operator reports its busy ratio capped at {@code busyCeiling}:
     * threads sharing too few cores read less than 1 when saturated (descheduled time, waiting between bursts of a
     * held-back writer).
     */
    static Run run(PodLayout start, long seconds, DoubleUnaryOperator load, double queueCapacity,
            double busyCeiling) {
        ManualClock clock = new ManualClock();
        ClusterAutoscaler policy = new ClusterAutoscaler(CONFIG, LIMITS, SETTINGS, clock);
        PodLayout layout = start;
        double backlog = 0;
        double heldBack = 0;
        List<Tick> ticks = new ArrayList<>();
        for (long t = 0; t < seconds; t++) {
            clock.set(ManualClock.at(t));
            double in = load.applyAsDouble(t);
            boolean missing = Double.isNaN(in);
            double rate = missing ? load.applyAsDouble(t - 1 < 0 ? 0 : t - 1) : in;
            if (Double.isNaN(rate)) {
                rate = 0;
            }
            int threads = layout.totalThreads("agg");
            double capacity = threads * PER_THREAD;
            double offered = rate + heldBack;
            double admitted = Math.min(offered, capacity + queueCapacity - backlog);
            heldBack = offered - admitted;
            double backpressure = offered > 0 ? 1 - admitted / offered : 0;
            double processed = Math.min(backlog + admitted, capacity);
            backlog = Math.max(0, backlog + admitted - processed);
            double busy = Math.min(busyCeiling, processed / capacity);
            OperatorSample s = missing
                    ? new OperatorSample("agg", threads, 1, 16, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                            Double.NaN)
                    : new OperatorSample("agg", threads, 1, 16, admitted, processed, busy, backlog,
                            admitted > 0 ? backlog / admitted * 1000 : 0, backpressure);
            policy.observe(new MetricSample(clock.instant(), List.of(s)));
            ClusterDecision d = policy.evaluate(layout);
            ticks.add(new Tick(t, layout, rate, backlog, heldBack, backpressure, d));
            if (d.apply()) {
                if (Boolean.getBoolean("trace.debug")) {
                    System.out.printf("%d in=%.0f backlog=%.0f held=%.0f %s%n", t, rate, backlog, heldBack,
                            d.summary());
                }
                layout = d.step().after();
                policy.stepApplied(d.step());
            }
        }
        return new Run(ticks);
    }

    static PodLayout layout(int pods, double cpu, int threads) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("agg", threads);
        return new PodLayout(pods, cpu, m);
    }

    @Test
    void shouldAddThreadsFirstThenCpuThenPodsWhenLoadStepsUp() {
        // 700/s (1 thread at 70 %), x4 at 60 s, x8 at 300 s
        Run r = run(layout(1, 2, 1), 600, t -> t < 60 ? 700 : t < 300 ? 2800 : 5600);

        assertThat(r.applied()).isNotEmpty();
        Tick first = r.applied().get(0);
        assertThat(first.second()).as("reaction to the x4 step").isBetween(60L, 63L);
        assertThat(first.decision().step().level()).isEqualTo(ScalingLevel.THREADS);
        assertThat(first.decision().step().after().threadsPerPod().get("agg")).as("as many as 2 cores feed")
                .isEqualTo(2);
        assertThat(r.levels()).as("threads, then CPU in place, then pods").containsSubsequence(ScalingLevel.THREADS,
                ScalingLevel.POD_CPU, ScalingLevel.POD_COUNT);
        int firstPod = r.levels().indexOf(ScalingLevel.POD_COUNT);
        assertThat(r.levels().subList(0, firstPod)).doesNotContain(ScalingLevel.POD_COUNT);
        Tick end = r.at(599);
        assertThat(end.threadsTotal() * PER_THREAD * 0.9).as("enough capacity at the end").isGreaterThanOrEqualTo(5600);
        assertThat(end.backlog()).isLessThan(100);
        assertThat(r.ticks()).allSatisfy(t -> assertThat(t.decision().message()).isNotBlank());
    }

    @Test
    void shouldReleasePodsThenCpuThenThreadsAfterTheDelaysWhenLoadStepsDown() {
        Run r = run(layout(2, 4, 4), 900, t -> t < 60 ? 5600 : 700);

        List<Tick> downs = r.applied();
        assertThat(downs).isNotEmpty();
        assertThat(downs.get(0).second()).as("not before the scale-down delay").isGreaterThanOrEqualTo(60 + 30);
        // pods go first whenever fewer pods feed the threads; CPU is lowered only where they cannot
        assertThat(r.levels()).contains(ScalingLevel.POD_COUNT, ScalingLevel.POD_CPU);
        assertThat(r.levels().get(r.levels().size() - 1)).isNotEqualTo(ScalingLevel.POD_COUNT);
        for (Tick t : r.applied()) {
            PodLayout before = t.layout();
            PodLayout after = t.decision().step().after();
            if (t.decision().step().level() == ScalingLevel.POD_CPU && before.pods() > 1) {
                int total = after.totalThreads("agg");
                int perPodWithOneLess = (total + before.pods() - 2) / (before.pods() - 1);
                assertThat(perPodWithOneLess > LIMITS.threadCapacity(before.cpuCores())
                        || perPodWithOneLess > LIMITS.maxThreadsPerOperator())
                        .as("at %d s CPU was lowered although a pod could have gone", t.second()).isTrue();
            }
        }
        assertThat(r.applied()).allSatisfy(t -> assertThat(t.decision().step().after().threadsInPod())
                .isLessThanOrEqualTo(LIMITS.threadCapacity(t.decision().step().after().cpuCores())));
        Tick end = r.at(899);
        assertThat(end.layout().pods()).isEqualTo(1);
        assertThat(end.threadsTotal()).isLessThanOrEqualTo(2);
        assertThat(r.ticks()).allSatisfy(t -> assertThat(t.backlog()).as("never under-provisioned").isLessThan(1000));
    }

    @Test
    void shouldFollowASineWithoutFlapping() {
        // 700..3300/s over a 20-minute period, for an hour
        Run r = run(layout(1, 2, 1), 3600, t -> 2000 + 1300 * Math.sin(2 * Math.PI * t / 1200));

        for (long from = 0; from < 3600; from += 600) {
            assertThat(r.changesBetween(from, from + 600)).as("changes in [%d, %d)", from, from + 600)
                    .isLessThanOrEqualTo(8);
        }
        assertThat(r.ticks()).allSatisfy(t -> assertThat(t.backlog()).as("at %d s", t.second()).isLessThan(20_000));
        assertThat(r.levels()).contains(ScalingLevel.THREADS);
    }

    @Test
    void shouldNotAddPodsForShortBursts() {
        // 10 s at x6 every two minutes, 1500/s otherwise
        Run r = run(layout(1, 2, 2), 1800, t -> t % 120 < 10 ? 9000 : 1500);

        assertThat(r.levels()).doesNotContain(ScalingLevel.POD_COUNT);
        assertThat(r.at(1799).backlog()).as("bursts are worked off").isLessThan(1000);
    }

    @Test
    void shouldChangeAtMostOncePerTenMinutesOnNoisySteadyLoad() {
        Random random = new Random(42);
        double[] noise = new double[3600];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 1500 * (1 + 0.15 * random.nextGaussian());
        }
        Run r = run(layout(1, 2, 2), 3600, t -> noise[(int) t]);

        for (long from = 0; from < 3600; from += 600) {
            assertThat(r.changesBetween(from, from + 600)).as("changes in [%d, %d)", from, from + 600)
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldScaleUpAnOperatorThatHoldsBackItsSourceWhileItsBusyRatioReadsInsideTheBand() {
        // a bounded input queue (2000 tuples) and a busy ratio that reads at most 0.87 when saturated (inside the
        // band [0.45, 0.9]): after the x4 step the backlog is flat at the queue's size and the source is held back;
        // only the back-pressure tells that more is offered than processed
        Run r = run(layout(1, 2, 1), 900, t -> t < 60 ? 700 : t < 300 ? 2800 : 700, 2000, 0.87);

        assertThat(r.applied()).isNotEmpty();
        Tick first = r.applied().get(0);
        assertThat(first.second()).as("reaction to the x4 step").isBetween(60L, 70L);
        // the first step may come from the queue filling up (backlog growing); after it the backlog is flat
        assertThat(r.applied()).as("steps taken on the back-pressure alone").anySatisfy(t -> assertThat(
                t.decision().message()).contains("back-pressured").doesNotContain("growing"));
        assertThat(r.levels()).containsSubsequence(ScalingLevel.THREADS, ScalingLevel.POD_CPU);
        Tick settled = r.at(240);
        assertThat(settled.threadsTotal() * PER_THREAD).as("capacity for the offered 2800/s").isGreaterThan(2800);
        assertThat(settled.heldBack()).as("the source caught up with what it was held back").isLessThan(100);
        assertThat(r.ticks().subList(200, 300)).allSatisfy(t -> assertThat(t.backpressure()).isLessThan(0.1));
        assertThat(r.changesBetween(200, 300)).as("no flapping once it keeps up").isZero();
        Tick end = r.at(899);
        assertThat(end.layout().pods()).isEqualTo(1);
        assertThat(end.threadsTotal()).as("back down after the load").isLessThanOrEqualTo(2);
    }

    @Test
    void shouldAddPodsForASourceHeldBackBeyondTheLargestPod() {
        // 6000/s offered against at most 4 threads x 1000/s per pod: only a second pod (and more) carries it
        Run r = run(layout(1, 4, 4), 300, t -> 6000, 2000, 0.87);

        assertThat(r.levels()).contains(ScalingLevel.POD_COUNT);
        assertThat(r.at(299).threadsTotal() * PER_THREAD).isGreaterThan(6000);
        assertThat(r.at(299).heldBack()).isLessThan(100);
    }

    @Test
    void shouldChangeAtMostOncePerTenMinutesOnNoisySteadyLoadWithABoundedQueue() {
        Random random = new Random(7);
        double[] noise = new double[3600];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 1500 * (1 + 0.15 * random.nextGaussian());
        }
        Run r = run(layout(1, 2, 2), 3600, t -> noise[(int) t], 2000, 0.87);

        for (long from = 0; from < 3600; from += 600) {
            assertThat(r.changesBetween(from, from + 600)).as("changes in [%d, %d)", from, from + 600)
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void shouldHoldAndNeverScaleDownWhileMetricsAreMissing() {
        // high load, then 60 s without metrics, while the load drops: no decision on missing metrics
        Run r = run(layout(1, 4, 4), 240, t -> t < 60 ? 3000 : t < 120 ? Double.NaN : 3000);

        assertThat(r.ticks().subList(61, 120)).allSatisfy(t -> {
            assertThat(t.decision().apply()).isFalse();
            assertThat(t.decision().reason()).isIn(ClusterDecision.Reason.HOLD, ClusterDecision.Reason.NO_CHANGE);
        });
        assertThat(r.ticks().subList(61, 120)).anySatisfy(t -> assertThat(t.decision().message())
                .contains("MetricsMissing"));
        assertThat(r.applied()).noneMatch(t -> t.decision().step().after().threadsInPod() < 4);
    }

    @Test
    void shouldSizeThePodsWithoutAHoldWithinThePodRangeLessTheHeldPods() {
        // a job of exactly 2 pods (min = max = 2) at 2 cores; one pod holds its threads by hand, so the layout and
        // the samples are the other pod's: 1 pod at 1 thread, overloaded. Planned within [2, 2] pods that layout
        // would first be "brought up to 2 pods"; less the held pod, it is a thread step inside the one pod
        PodLimits limits = PodLimits.resizableCpu(1, 2, 2, 1, 2, 2).withMaxThreadsPerOperator(4);
        ClusterDecision held = firstApplied(limits, 1);
        assertThat(held.step().level()).isEqualTo(ScalingLevel.THREADS);
        assertThat(held.step().after().pods()).isEqualTo(1);
        assertThat(held.step().after().threadsPerPod().get("agg")).isEqualTo(2);
        ClusterDecision unheld = firstApplied(limits, 0);
        assertThat(unheld.step().after().pods()).as("without the held pod taken out").isEqualTo(2);
    }

    private static ClusterDecision firstApplied(PodLimits limits, int heldPods) {
        ManualClock clock = new ManualClock();
        ClusterAutoscaler policy = new ClusterAutoscaler(CONFIG, limits, SETTINGS, clock);
        PodLayout layout = layout(1, 2, 1);
        for (long t = 0; t < 60; t++) {
            clock.set(ManualClock.at(t));
            policy.observe(new MetricSample(clock.instant(), List.of(new OperatorSample("agg", 1, 1, 8, 1500, 1000,
                    1.0, 0, 0))));
            ClusterDecision d = policy.evaluate(layout, heldPods);
            if (d.step() != null && (d.apply() || d.reason() == ClusterDecision.Reason.POD_CHANGE_DELAYED)) {
                return d;
            }
        }
        throw new AssertionError("no step in 60 s");
    }

    @Test
    void shouldFallBackToPodsWhenCpuCannotBeResized() {
        ManualClock clock = new ManualClock();
        ClusterAutoscaler policy = new ClusterAutoscaler(CONFIG, LIMITS, SETTINGS, clock);
        PodLayout layout = layout(1, 2, 2);
        policy.cpuResizeRefused("pod stretch-0: resize Infeasible (node has 2 cores)");
        ClusterDecision d = null;
        for (long t = 0; t < 40; t++) {
            clock.set(ManualClock.at(t));
            policy.observe(new MetricSample(clock.instant(), List.of(new OperatorSample("agg", 2, 1, 16, 3000, 2000,
                    1.0, 1000 * t, 1000))));
            d = policy.evaluate(layout);
            if (d.apply()) {
                break;
            }
        }
        assertThat(d.apply()).isTrue();
        assertThat(d.step().level()).isEqualTo(ScalingLevel.POD_COUNT);
        assertThat(d.step().after().cpuCores()).isEqualTo(2.0);
        assertThat(d.message()).contains("not resized in place").contains("Infeasible");
    }

    @Test
    void shouldHoldEverythingInAnExcludedPeriod() {
        ManualClock clock = new ManualClock(); // 2025-01-01 is a Wednesday
        ClusterAutoscaler policy = new ClusterAutoscaler(CONFIG, LIMITS, new ClusterAutoscaler.Settings(
                Duration.ZERO, Duration.ZERO, 0.5, 4096, List.of(ExcludedPeriod.parse("Mon-Fri 00:00-01:00"))), clock);
        ClusterDecision d = null;
        for (long t = 0; t < 20; t++) {
            clock.set(ManualClock.at(t));
            policy.observe(new MetricSample(clock.instant(), List.of(new OperatorSample("agg", 1, 1, 16, 3000, 1000,
                    1.0, 1000 * t, 1000))));
            d = policy.evaluate(layout(1, 2, 1));
        }
        assertThat(d.apply()).isFalse();
        assertThat(d.reason()).isEqualTo(ClusterDecision.Reason.EXCLUDED_PERIOD);
        assertThat(d.step()).as("what would be done is still reported").isNotNull();
    }
}
