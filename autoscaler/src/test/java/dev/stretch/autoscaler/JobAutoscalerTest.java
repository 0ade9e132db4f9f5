package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobAutoscalerTest {

    /** Tuples/s one instance of "op" processes when busy all the time. */
    private static final double RATE = 100;

    private final ManualClock clock = new ManualClock();
    private AutoscalerConfig config = AutoscalerConfig.defaults()
            .with(AutoscalerOptions.METRIC_WINDOW, Duration.ofSeconds(5))
            .with(AutoscalerOptions.STABILIZATION, Duration.ofSeconds(10))
            .with(AutoscalerOptions.SCALE_DOWN_DELAY, Duration.ofSeconds(30));
    private JobAutoscaler autoscaler;

    @BeforeEach
    void createAutoscaler() {
        autoscaler = new JobAutoscaler(config, clock);
    }

    private void reconfigure(AutoscalerConfig c) {
        config = c;
        autoscaler = new JobAutoscaler(c, clock);
    }

    /** Operator "op" keeping up with its input at the given busy ratio, bounds [1, 20]. */
    private static OperatorSample steady(int n, double busy) {
        double processed = n * RATE * busy;
        return new OperatorSample("op", n, 1, 20, processed, processed, busy, 0, 0);
    }

    /** Required instances by the sizing formula for a steady operator: ceil(n * busy / target). */
    private static int sized(int n, double busy) {
        return (int) Math.ceil(n * RATE * busy / (RATE * 0.7) - 1e-9);
    }

    /** Observes one sample per second for seconds [from, to], evaluating after each; returns the last report. */
    private ScalingReport feed(long from, long to, LongFunction<List<OperatorSample>> sampleAt) {
        ScalingReport report = null;
        for (long s = from; s <= to; s++) {
            clock.set(ManualClock.at(s));
            autoscaler.observe(new MetricSample(clock.instant(), sampleAt.apply(s)));
            report = autoscaler.evaluate();
        }
        return report;
    }

    private ScalingReport feedSteady(long from, long to, int n, double busy) {
        return feed(from, to, s -> List.of(steady(n, busy)));
    }

    private static ScalingDecision op(ScalingReport r) {
        return r.decision("op").orElseThrow();
    }

    @Test
    void shouldScaleUpWhenWindowedBusyRatioIsAboveBand() {
        ScalingReport r = feedSteady(0, 5, 4, 0.95);

        ScalingDecision d = op(r);
        assertThat(d.reason()).isEqualTo(ScalingReason.SCALE_UP);
        assertThat(d.target()).isEqualTo(sized(4, 0.95)).isGreaterThan(4);
        assertThat(r.shouldApply()).isTrue();
        assertThat(r.outcome()).isEqualTo(ScalingReport.Outcome.SCALING);
        assertThat(r.targets()).containsExactly(entry("op", d.target()));
    }

    @Test
    void shouldCarryEvaluatedMetricsAsEvidence() {
        ScalingDecision d = op(feedSteady(0, 5, 4, 0.95));

        assertThat(d.metrics().samples()).isEqualTo(6);
        assertThat(d.metrics().span()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.metrics().busyRatio()).isCloseTo(0.95, within(1e-9));
        assertThat(d.metrics().trueRatePerInstance()).isCloseTo(RATE, within(1e-9));
        assertThat(d.message()).contains("busy 0.95 above 0.90");
    }

    @Test
    void shouldHoldWithWindowIncompleteWhenObservedForLessThanWindow() {
        ScalingDecision d = op(feedSteady(0, 4, 4, 0.95));

        assertThat(d.reason()).isEqualTo(ScalingReason.METRIC_WINDOW_INCOMPLETE);
        assertThat(d.isChange()).isFalse();
    }

    @Test
    void shouldKeepInstancesWhenUtilisationIsInsideBand() {
        ScalingReport r = feedSteady(0, 20, 4, 0.8);

        assertThat(op(r).reason()).isEqualTo(ScalingReason.WITHIN_BAND);
        assertThat(r.hasChanges()).isFalse();
        assertThat(r.outcome()).isEqualTo(ScalingReport.Outcome.NO_SCALING);
    }

    @Test
    void shouldAverageOverWindowWhenOneSampleSpikes() {
        ScalingReport r = feed(0, 10, s -> List.of(steady(4, s == 10 ? 1.0 : 0.7)));

        assertThat(op(r).reason()).isEqualTo(ScalingReason.WITHIN_BAND);
        assertThat(op(r).metrics().busyRatio()).isCloseTo((5 * 0.7 + 1.0) / 6, within(1e-9));
    }

    @Test
    void shouldVetoWithMetricsMissingWhenBusyRatioIsNaN() {
        LongFunction<List<OperatorSample>> gap = s -> List.of(s == 3
                ? new OperatorSample("op", 4, 1, 20, 380, 380, Double.NaN, 0, 0) : steady(4, 0.95));

        ScalingReport whileInWindow = feed(0, 8, gap);
        ScalingDecision d = op(whileInWindow);
        assertThat(d.reason()).isEqualTo(ScalingReason.METRICS_MISSING);
        assertThat(d.message()).contains("busyRatio");
        assertThat(d.isChange()).isFalse();
        assertThat(d.metrics().isEvaluated()).isFalse();

        ScalingReport afterWindow = feed(9, 9, gap);
        assertThat(op(afterWindow).reason()).isEqualTo(ScalingReason.SCALE_UP);
    }

    @Test
    void shouldVetoWithMetricsMissingWhenOperatorIsAbsentFromLatestSample() {
        feedSteady(0, 10, 4, 0.7);
        ScalingReport r = feed(11, 11, s -> List.of());

        assertThat(op(r).reason()).isEqualTo(ScalingReason.METRICS_MISSING);
        assertThat(op(r).message()).contains("absent");
        assertThat(op(r).current()).isEqualTo(4);
    }

    @Test
    void shouldVetoWithMetricsMissingWhenNoSampleIsRecent() {
        feedSteady(0, 5, 4, 0.7);

        clock.set(ManualClock.at(30));
        ScalingReport r = autoscaler.evaluate();

        assertThat(op(r).reason()).isEqualTo(ScalingReason.METRICS_MISSING);
        assertThat(op(r).message()).contains("no sample since");
    }

    @Test
    void shouldVetoWhenReconfigurationIsInProgress() {
        feedSteady(0, 4, 4, 0.95);
        clock.set(ManualClock.at(5));
        autoscaler.observe(new MetricSample(clock.instant(), List.of(steady(4, 0.95)), true));

        ScalingReport r = autoscaler.evaluate();

        ScalingDecision d = op(r);
        assertThat(d.reason()).isEqualTo(ScalingReason.RECONFIGURATION_IN_PROGRESS);
        assertThat(d.target()).isEqualTo(4);
        assertThat(d.recommended()).isEqualTo(sized(4, 0.95));
        assertThat(d.isVetoed()).isTrue();
        assertThat(r.shouldApply()).isFalse();
        assertThat(r.outcome()).isEqualTo(ScalingReport.Outcome.VETOED);
    }

    @Test
    void shouldHoldChangesWhileStabilizingAfterAppliedChange() {
        ScalingReport first = feedSteady(0, 5, 4, 0.95);
        int n = op(first).target();
        // applied: seen in the sample at 6, still overloaded; window full again at 11, stable from 16
        ScalingReport during = feedSteady(6, 15, n, 0.95);
        assertThat(op(during).reason()).isEqualTo(ScalingReason.STABILIZING);
        assertThat(op(during).recommended()).isEqualTo(sized(n, 0.95));
        assertThat(during.hasChanges()).isFalse();

        ScalingReport after = feedSteady(16, 16, n, 0.95);
        assertThat(op(after).reason()).isEqualTo(ScalingReason.SCALE_UP);
        assertThat(op(after).target()).isEqualTo(sized(n, 0.95));
    }

    @Test
    void shouldStabilizeAfterInstancesChangedByOthers() {
        feedSteady(0, 20, 4, 0.7);
        // someone else set 5 instances at 21; the window is full at 26, stabilisation ends at 31
        ScalingReport during = feedSteady(21, 30, 5, 0.95);
        assertThat(op(during).reason()).isEqualTo(ScalingReason.STABILIZING);

        ScalingReport after = feedSteady(31, 31, 5, 0.95);
        assertThat(op(after).reason()).isEqualTo(ScalingReason.SCALE_UP);
    }

    @Test
    void shouldDelayScaleDownUntilRecommendedForScaleDownDelay() {
        ScalingReport before = feedSteady(0, 34, 8, 0.2);
        assertThat(op(before).reason()).isEqualTo(ScalingReason.SCALE_DOWN_DELAYED);
        assertThat(op(before).target()).isEqualTo(8);
        assertThat(op(before).recommended()).isEqualTo(sized(8, 0.2));

        // first recommended at 5 (window full), so due at 35
        ScalingReport due = feedSteady(35, 35, 8, 0.2);
        assertThat(op(due).reason()).isEqualTo(ScalingReason.SCALE_DOWN);
        assertThat(op(due).target()).isEqualTo(sized(8, 0.2)).isLessThan(8);
    }

    @Test
    void shouldScaleDownToHighestRecommendationSeenDuringDelay() {
        ScalingReport r = feed(0, 35, s -> List.of(steady(8, s >= 10 && s <= 20 ? 0.3 : 0.2)));

        assertThat(op(r).reason()).isEqualTo(ScalingReason.SCALE_DOWN);
        assertThat(sized(8, 0.3)).isGreaterThan(sized(8, 0.2));
        assertThat(op(r).target()).isEqualTo(sized(8, 0.3));
    }

    @Test
    void shouldRestartScaleDownDelayWhenRecommendationIsInterrupted() {
        feedSteady(0, 19, 8, 0.2);
        feedSteady(20, 25, 8, 0.6); // window mean inside the band at 25
        // back to 0.2 from 26: the window mean drops below 0.45 at 28, so the delay runs until 58
        ScalingReport before = feedSteady(26, 57, 8, 0.2);
        assertThat(op(before).reason()).isEqualTo(ScalingReason.SCALE_DOWN_DELAYED);

        ScalingReport due = feedSteady(58, 58, 8, 0.2);
        assertThat(op(due).reason()).isEqualTo(ScalingReason.SCALE_DOWN);
    }

    @Test
    void shouldLimitChangeToMaxStep() {
        reconfigure(config.with(AutoscalerOptions.MAX_STEP, 2));

        // input 1000/s against 400/s of capacity: the backlog grows by 600/s
        ScalingDecision d = op(feed(0, 5,
                s -> List.of(new OperatorSample("op", 4, 1, 20, 1000, 400, 1.0, 600 * (s + 1), 0))));

        assertThat(d.recommended()).isGreaterThanOrEqualTo((int) Math.ceil(1000 / (RATE * 0.7)));
        assertThat(d.target()).isEqualTo(6);
        assertThat(d.message()).contains(AutoscalerOptions.MAX_STEP.key());
    }

    @Test
    void shouldMoveIntoBoundsWhenCurrentIsOutsideThemEvenWhileStabilizing() {
        feedSteady(0, 3, 20, 0.7);
        clock.set(ManualClock.at(4));
        // bounds lowered to [1, 10] and instances changed by someone else at the same time
        autoscaler.observe(new MetricSample(clock.instant(),
                List.of(new OperatorSample("op", 12, 1, 10, 840, 840, 0.7, 0, 0))));

        ScalingReport r = autoscaler.evaluate();

        assertThat(op(r).reason()).isEqualTo(ScalingReason.OUTSIDE_BOUNDS);
        assertThat(op(r).target()).isEqualTo(10);
        assertThat(r.shouldApply()).isTrue();
    }

    @Test
    void shouldReportAtMaxInstancesWhenMoreAreNeededAtMaximum() {
        ScalingReport r = feed(0, 5, s -> List.of(new OperatorSample("op", 20, 1, 20, 1900, 1900, 0.95, 0, 0)));

        assertThat(op(r).reason()).isEqualTo(ScalingReason.AT_MAX_INSTANCES);
        assertThat(op(r).isChange()).isFalse();
    }

    @Test
    void shouldMarkDecisionsNotToBeAppliedInRecommendMode() {
        reconfigure(config.with(AutoscalerOptions.MODE, ScalingMode.RECOMMEND));

        ScalingReport first = feedSteady(0, 5, 4, 0.95);
        assertThat(op(first).reason()).isEqualTo(ScalingReason.SCALE_UP);
        assertThat(op(first).target()).isEqualTo(sized(4, 0.95));
        assertThat(first.shouldApply()).isFalse();
        assertThat(first.outcome()).isEqualTo(ScalingReport.Outcome.RECOMMENDATION);

        // nothing was applied, so no stabilisation: the recommendation stands at the next evaluation
        ScalingReport next = feedSteady(6, 6, 4, 0.95);
        assertThat(op(next).reason()).isEqualTo(ScalingReason.SCALE_UP);
    }

    @Test
    void shouldEvaluateNothingWhenModeIsOff() {
        reconfigure(config.with(AutoscalerOptions.MODE, ScalingMode.OFF));

        ScalingReport r = feedSteady(0, 10, 4, 1.0);

        assertThat(op(r).reason()).isEqualTo(ScalingReason.SCALING_DISABLED);
        assertThat(r.hasChanges()).isFalse();
        assertThat(r.shouldApply()).isFalse();
    }

    @Test
    void shouldDecideEachOperatorOnItsOwnMetrics() {
        ScalingReport r = feed(0, 5, s -> List.of(
                new OperatorSample("hot", 4, 1, 20, 380, 380, 0.95, 0, 0),
                new OperatorSample("calm", 4, 1, 20, 280, 280, 0.7, 0, 0)));

        assertThat(r.targets()).containsOnlyKeys("hot");
        assertThat(r.decision("calm").orElseThrow().reason()).isEqualTo(ScalingReason.WITHIN_BAND);
        assertThat(r.decisions()).extracting(ScalingDecision::operator).containsExactly("hot", "calm");
    }

    @Test
    void shouldReportNothingBeforeFirstSample() {
        ScalingReport r = autoscaler.evaluate();

        assertThat(r.decisions()).isEmpty();
        assertThat(r.shouldApply()).isFalse();
    }

    @Test
    void shouldRejectSampleOlderThanPreviousOne() {
        feedSteady(0, 5, 4, 0.7);

        assertThatThrownBy(() -> autoscaler.observe(new MetricSample(ManualClock.at(4), List.of(steady(4, 0.7)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("older");
    }

    @Test
    void shouldVetoWithMetricsMissingWhenNoInstancesAreReported() {
        ScalingReport r = feed(0, 10, s -> List.of(new OperatorSample("op", 0, 1, 20, 500, 0, 0, 900, 0)));

        assertThat(op(r).reason()).isEqualTo(ScalingReason.METRICS_MISSING);
        assertThat(r.hasChanges()).isFalse();
    }

    @Test
    void shouldKeepUnlimitedRecommendationWhenVetoingStepLimitedChange() {
        reconfigure(config.with(AutoscalerOptions.MAX_STEP, 1));
        feedSteady(0, 4, 4, 1.0);
        clock.set(ManualClock.at(5));
        autoscaler.observe(new MetricSample(clock.instant(), List.of(steady(4, 1.0)), true));

        ScalingDecision d = op(autoscaler.evaluate());

        assertThat(d.reason()).isEqualTo(ScalingReason.RECONFIGURATION_IN_PROGRESS);
        assertThat(d.recommended()).isEqualTo(sized(4, 1.0)).isGreaterThan(5);
        assertThat(d.target()).isEqualTo(4);
        assertThat(d.message()).contains("ScaleUp to 5");
    }
}
