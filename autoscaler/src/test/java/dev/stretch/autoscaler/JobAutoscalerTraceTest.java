package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler replayed in a closed loop over the recorded load traces in {@code src/test/resources/traces}
 * (see {@link TraceGenerator} for what each contains), one sample per second on a fake clock.
 */
class JobAutoscalerTraceTest {

    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration STABILIZATION = Duration.ofSeconds(10);
    private static final Duration SCALE_DOWN_DELAY = Duration.ofSeconds(30);

    private static final AutoscalerConfig CONFIG = AutoscalerConfig.defaults()
            .with(AutoscalerOptions.METRIC_WINDOW, WINDOW)
            .with(AutoscalerOptions.STABILIZATION, STABILIZATION)
            .with(AutoscalerOptions.SCALE_DOWN_DELAY, SCALE_DOWN_DELAY);

    // step-x4.csv: aggregate gets 1000/s, 4000/s in [60, 120), then 1000/s; 500/s per instance; 3 at the start.
    private static final long STEP_START = 60;
    private static final long STEP_END = 120;
    private static final int INITIAL = 3;
    private static final double STEP_RATE = 4000;
    private static final double PER_INSTANCE = 500;

    @Test
    void shouldScaleUpWithinSecondsWhenLoadStepsUpFourfold() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.STEP), CONFIG);

        List<TraceReplay.Change> ups = r.changes("aggregate").stream().filter(c -> c.to() > c.from()).toList();
        assertThat(ups).isNotEmpty();
        assertThat(ups.get(0).second()).isBetween(STEP_START, STEP_START + 3);
        // enough instances to run the stepped load below the band's upper edge
        int enough = (int) Math.ceil(STEP_RATE / (PER_INSTANCE * 0.9));
        assertThat(r.instancesAfter("aggregate", STEP_START + 3)).isGreaterThanOrEqualTo(enough);
    }

    @Test
    void shouldDrainBacklogAndHoldStillWhileSteppedLoadLasts() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.STEP), CONFIG);

        assertThat(r.changes("aggregate")).filteredOn(c -> c.second() >= STEP_START && c.second() < STEP_END)
                .hasSize(1);
        assertThat(r.between(STEP_START + 10, STEP_END)).allSatisfy(t -> {
            assertThat(t.backlog().get("aggregate")).isZero();
            assertThat(t.decision("aggregate").reason()).isEqualTo(ScalingReason.WITHIN_BAND);
        });
    }

    @Test
    void shouldScaleDownOnlyAfterScaleDownDelayWhenLoadFalls() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.STEP), CONFIG);

        List<TraceReplay.Change> downs = r.changes("aggregate").stream().filter(c -> c.to() < c.from()).toList();
        assertThat(downs).isNotEmpty();
        assertThat(downs.get(0).second()).isGreaterThanOrEqualTo(STEP_END + SCALE_DOWN_DELAY.toSeconds());
        // and not much later: the window has to see the lower load, then the delay runs
        assertThat(downs.get(0).second())
                .isLessThanOrEqualTo(STEP_END + WINDOW.toSeconds() + SCALE_DOWN_DELAY.toSeconds() + 2);
        assertThat(r.between(STEP_END + WINDOW.toSeconds(), downs.get(0).second()))
                .allSatisfy(t -> assertThat(t.decision("aggregate").reason())
                        .isEqualTo(ScalingReason.SCALE_DOWN_DELAYED));
        for (int i = 1; i < downs.size(); i++) {
            assertThat(downs.get(i).second() - downs.get(i - 1).second())
                    .isGreaterThanOrEqualTo(SCALE_DOWN_DELAY.toSeconds());
        }
    }

    @Test
    void shouldReturnToInitialCountWhenLoadReturnsToBaseline() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.STEP), CONFIG);

        long last = r.ticks().get(r.ticks().size() - 1).second();
        assertThat(r.instancesAfter("aggregate", last)).isEqualTo(INITIAL);
        assertThat(r.changes("aggregate")).filteredOn(c -> c.second() < STEP_START).isEmpty();
    }

    @Test
    void shouldLeaveCheapOperatorAloneWhenLoadSteps() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.STEP), CONFIG);

        assertThat(r.changes("sink")).isEmpty();
    }

    @Test
    void shouldNeverFlapWhenLoadIsNoisyAroundBandEdge() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.NOISY), CONFIG);

        List<TraceReplay.Change> changes = r.changes("aggregate");
        assertThat(changes).hasSizeLessThanOrEqualTo(1);
        assertThat(changes).allSatisfy(c -> assertThat(c.to()).isGreaterThan(c.from()));
    }

    /** The control for the test above: the noisy trace does make a policy without band and delay flap. */
    @Test
    void shouldFlapOnNoisyTraceWhenBandAndScaleDownDelayAreDisabled() {
        AutoscalerConfig unprotected = CONFIG.with(AutoscalerOptions.UTILIZATION_LOW, 0.69)
                .with(AutoscalerOptions.UTILIZATION_HIGH, 0.71)
                .with(AutoscalerOptions.SCALE_DOWN_DELAY, Duration.ZERO)
                .with(AutoscalerOptions.STABILIZATION, Duration.ZERO);

        List<TraceReplay.Change> changes =
                TraceReplay.run(Trace.load(TraceGenerator.NOISY), unprotected).changes("aggregate");

        assertThat(changes.size()).isGreaterThan(10);
        assertThat(changes).anySatisfy(c -> assertThat(c.to()).isLessThan(c.from()));
    }

    @Test
    void shouldNeverFlapOnNoisyTraceWithBandAloneOrDelayAlone() {
        AutoscalerConfig bandOnly = CONFIG.with(AutoscalerOptions.SCALE_DOWN_DELAY, Duration.ZERO)
                .with(AutoscalerOptions.STABILIZATION, Duration.ZERO);
        AutoscalerConfig delayOnly = CONFIG.with(AutoscalerOptions.UTILIZATION_LOW, 0.69)
                .with(AutoscalerOptions.UTILIZATION_HIGH, 0.71);

        for (AutoscalerConfig c : List.of(bandOnly, delayOnly)) {
            assertThat(TraceReplay.run(Trace.load(TraceGenerator.NOISY), c).changes("aggregate"))
                    .as("changes with %s", c)
                    .allSatisfy(ch -> assertThat(ch.to()).isGreaterThan(ch.from()));
        }
    }

    @Test
    void shouldClampSkewedOperatorToItsMaximum() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.SKEWED), CONFIG);
        int max = 8;

        assertThat(r.changes("count")).allSatisfy(c -> {
            assertThat(c.to()).isGreaterThan(c.from());
            assertThat(c.to()).isLessThanOrEqualTo(max);
        });
        long reachedMax = r.changes("count").stream().filter(c -> c.to() == max).findFirst().orElseThrow()
                .second();
        assertThat(r.between(reachedMax + 1, Long.MAX_VALUE)).allSatisfy(t -> {
            assertThat(t.instances().get("count")).isEqualTo(max);
            assertThat(t.decision("count").reason()).isIn(ScalingReason.AT_MAX_INSTANCES,
                    ScalingReason.NO_CHANGE, ScalingReason.METRIC_WINDOW_INCOMPLETE);
        });
        assertThat(r.ticks().get(r.ticks().size() - 1).decision("count").reason())
                .isEqualTo(ScalingReason.AT_MAX_INSTANCES);
    }

    @Test
    void shouldKeepOperatorAtMinimumWhenItNeedsFewerInstances() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.SKEWED), CONFIG);

        assertThat(r.changes("parse")).isEmpty();
        assertThat(r.ticks().get(r.ticks().size() - 1).decision("parse").reason())
                .isEqualTo(ScalingReason.AT_MIN_INSTANCES);
    }

    @Test
    void shouldVetoWithMetricsMissingWhileGapIsInWindow() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.MISSING_GAP), CONFIG);
        long gapStart = 55;
        long gapEnd = 85; // first complete sample
        long cleanWindow = gapEnd + WINDOW.toSeconds();

        assertThat(r.between(gapStart, cleanWindow)).allSatisfy(t -> {
            ScalingDecision d = t.decision("aggregate");
            assertThat(d.reason()).isEqualTo(ScalingReason.METRICS_MISSING);
            assertThat(d.message()).contains("busyRatio");
            assertThat(d.isChange()).isFalse();
        });
        // the load stepped up during the gap; the autoscaler acts as soon as a clean window is in
        assertThat(r.changes("aggregate")).first().satisfies(c -> {
            assertThat(c.second()).isEqualTo(cleanWindow);
            assertThat(c.to()).isGreaterThan(c.from());
        });
    }

    @Test
    void shouldVetoWithMetricsMissingWhileOperatorIsAbsent() {
        TraceReplay.Result r = TraceReplay.run(Trace.load(TraceGenerator.MISSING_GAP), CONFIG);

        assertThat(r.between(100, 100 + WINDOW.toSeconds() + 10)).allSatisfy(t -> assertThat(
                t.decision("sink").reason()).isEqualTo(ScalingReason.METRICS_MISSING));
        assertThat(r.at(110 + WINDOW.toSeconds()).decision("sink").reason())
                .isNotEqualTo(ScalingReason.METRICS_MISSING);
        assertThat(r.changes("sink")).isEmpty();
    }
}
