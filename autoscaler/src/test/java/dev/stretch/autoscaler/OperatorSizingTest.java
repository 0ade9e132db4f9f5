package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OperatorSizingTest {

    // defaults: target 0.7, band [0.45, 0.9], catch-up 30 s
    private final OperatorSizing sizing = new OperatorSizing(AutoscalerConfig.defaults());

    /** Metrics of an operator with {@code n} instances, deriving the true rate as the window evaluation does. */
    private static EvaluatedMetrics metrics(int n, double input, double latestInput, double processed, double busy,
            double backlog, boolean growing) {
        double trueRate = busy < EvaluatedMetrics.IDLE_BUSY_RATIO ? Double.NaN : processed / n / busy;
        return new EvaluatedMetrics(n, 6, Duration.ofSeconds(5), input, latestInput, processed, busy, trueRate,
                backlog, 0, growing, 0);
    }

    private static EvaluatedMetrics backpressured(int n, double rate, double busy, double backpressure) {
        return new EvaluatedMetrics(n, 6, Duration.ofSeconds(5), rate, rate, rate, busy, rate / n / busy, 0, 0,
                false, backpressure);
    }

    @Test
    void shouldScaleUpAnOperatorThatHoldsBackItsWritersAlthoughBusyIsInsideTheBand() {
        // saturated on shared cores: busy reads 0.87 (inside [0.45, 0.9]), backlog not growing, the source held
        // back 90 % of the time. 2200/s / 4 / 0.87 = 632/s per busy instance, x 0.7 = 443/s; offered taken as
        // 2200 x 2 (1 / (1 - 0.9) = 10, at most 2) = 4400/s -> 9.94 instances
        assertThat(sizing.propose(keepingUp(4, 2200, 0.87), 1, 100).reason()).as("without backpressure")
                .isEqualTo(ScalingReason.WITHIN_BAND);
        SizingProposal p = sizing.propose(backpressured(4, 2200, 0.87, 0.9), 1, 100);

        assertThat(p.reason()).isEqualTo(ScalingReason.SCALE_UP);
        assertThat(p.recommended()).isEqualTo(10);
        assertThat(p.message()).contains("back-pressured 90%").contains("x 2.00");
    }

    @Test
    void shouldTakeTheOfferedRateFromTheBackpressuredShareOfTheWritersTime() {
        // held back 20 % of the time: offered 2200 / 0.8 = 2750/s -> 2750 / 443 = 6.21 -> 7
        SizingProposal p = sizing.propose(backpressured(4, 2200, 0.87, 0.2), 1, 100);

        assertThat(p.recommended()).isEqualTo(7);
        assertThat(p.message()).contains("x 1.25");
    }

    @Test
    void shouldIgnoreBackpressureBelowTheThresholdAndNotGrowAnOperatorThatIsNotTheBottleneck() {
        assertThat(sizing.propose(backpressured(4, 2200, 0.87, 0.05), 1, 100).reason())
                .isEqualTo(ScalingReason.WITHIN_BAND);
        // writers held back but the operator mostly waits (busy 0.2): more threads would not help, none are added,
        // and none are removed while the writers wait
        SizingProposal p = sizing.propose(backpressured(4, 2200, 0.2, 0.9), 1, 100);
        assertThat(p.recommended()).isEqualTo(4);
        assertThat(p.reason()).isEqualTo(ScalingReason.NO_CHANGE);
        // a paced source emitting in bursts waits for room at moderate load (busy 0.5, below the target 0.7):
        // measured with a real pod at 200 records/s, not overload
        SizingProposal bursts = sizing.propose(backpressured(4, 2200, 0.5, 0.9), 1, 100);
        assertThat(bursts.reason()).isEqualTo(ScalingReason.WITHIN_BAND);
        assertThat(bursts.message()).contains("bursts, not overload");
    }

    private static EvaluatedMetrics keepingUp(int n, double rate, double busy) {
        return metrics(n, rate, rate, rate, busy, 0, false);
    }

    /**
     * Expected values worked out by hand: required instances = input / (per-instance rate x 0.7), where the
     * per-instance rate is processed / n / busy.
     */
    @ParameterizedTest(name = "{0} instances, {1}/s at busy {2} -> {3}")
    @CsvSource({
            // n, rate, busy, expected    per-instance rate, required instances
            "3, 1425, 0.95, 5", //         500/s, 1425 / 350 = 4.07
            "4, 1900, 0.95, 6", //         500/s, 1900 / 350 = 5.43
            "2,  190, 0.95, 3", //          100/s,  190 / 70 = 2.71
            "10, 1000, 0.20, 3", //        500/s, 1000 / 350 = 2.86
            "10, 1500, 0.30, 5", //        500/s, 1500 / 350 = 4.29
            "16, 1400, 0.35, 8", //        250/s, 1400 / 175 = 8.00
    })
    void shouldSizeForInputRateAtTargetUtilisationWhenOutsideBand(int n, double rate, double busy, int expected) {
        SizingProposal p = sizing.propose(keepingUp(n, rate, busy), 1, 100);

        assertThat(p.recommended()).isEqualTo(expected);
        assertThat(p.reason()).isEqualTo(expected > n ? ScalingReason.SCALE_UP : ScalingReason.SCALE_DOWN);
    }

    @Test
    void shouldAddBacklogOverCatchUpTimeToRequiredRate() {
        // 500/s per instance; 1900/s alone needs 5.43 -> 6; plus 9000 / 30 s = 300/s needs 6.29 -> 7
        assertThat(sizing.propose(metrics(4, 1900, 1900, 1900, 0.95, 0, false), 1, 100).recommended()).isEqualTo(6);
        assertThat(sizing.propose(metrics(4, 1900, 1900, 1900, 0.95, 9000, false), 1, 100).recommended())
                .isEqualTo(7);
    }

    @Test
    void shouldSizeForHigherOfMeanAndLatestInputWhenScalingUp() {
        // saturated at 4 x 500/s; mean input 2500/s but the latest second already 4000/s: 4000 / 350 = 11.4
        SizingProposal p = sizing.propose(metrics(4, 2500, 4000, 2000, 1.0, 0, false), 1, 100);

        assertThat(p.recommended()).isEqualTo(12);
        assertThat(p.message()).contains("peak input 4000.0/s");
    }

    @Test
    void shouldSizeForMeanInputWhenScalingDown() {
        // 10 x 500/s at busy 0.2 = 1000/s mean; the latest second fell to 200/s, which alone would give 1
        SizingProposal p = sizing.propose(metrics(10, 1000, 200, 1000, 0.2, 0, false), 1, 100);

        assertThat(p.recommended()).isEqualTo(3);
    }

    @Test
    void shouldKeepCurrentCountWhenUtilisationIsInsideBand() {
        // the formula alone would say 4 x 0.5 / 0.7 -> 3
        SizingProposal p = sizing.propose(keepingUp(4, 200, 0.5), 1, 100);

        assertThat(p.recommended()).isEqualTo(4);
        assertThat(p.reason()).isEqualTo(ScalingReason.WITHIN_BAND);
        assertThat(p.requiredInstances()).isNaN();
    }

    @Test
    void shouldScaleUpWhenBacklogKeepsGrowingInsideBand() {
        // busy 0.8 is inside the band, but the input (2400/s) exceeds what 4 x 500/s at 0.8 processed (1600/s)
        SizingProposal p = sizing.propose(metrics(4, 2400, 2400, 1600, 0.8, 4000, true), 1, 100);

        assertThat(p.reason()).isEqualTo(ScalingReason.SCALE_UP);
        assertThat(p.recommended()).isEqualTo((int) Math.ceil((2400 + 4000 / 30.0) / 350));
    }

    @Test
    void shouldNeverRecommendFewerInstancesWhenAboveBand() {
        // busy because it works off a backlog, while the input itself is small: the formula says 2
        SizingProposal p = sizing.propose(metrics(4, 500, 500, 1900, 0.95, 0, false), 1, 100);

        assertThat(p.recommended()).isEqualTo(4);
        assertThat(p.reason()).isEqualTo(ScalingReason.NO_CHANGE);
        assertThat(p.requiredInstances()).isLessThan(4);
    }

    @Test
    void shouldNeverRecommendMoreInstancesWhenBelowBandAndBacklogSteady() {
        SizingProposal p = sizing.propose(metrics(4, 2000, 2000, 600, 0.3, 0, false), 1, 100);

        assertThat(p.recommended()).isEqualTo(4);
        assertThat(p.reason()).isEqualTo(ScalingReason.NO_CHANGE);
    }

    @Test
    void shouldClampToMaximumAndSayWhy() {
        // needs 12 (4000 / 350), allowed 8
        SizingProposal up = sizing.propose(metrics(4, 4000, 4000, 2000, 1.0, 0, false), 1, 8);
        assertThat(up.recommended()).isEqualTo(8);
        assertThat(up.reason()).isEqualTo(ScalingReason.SCALE_UP);
        assertThat(up.message()).contains("clamped to max 8");

        SizingProposal atMax = sizing.propose(metrics(8, 6000, 6000, 4000, 1.0, 0, false), 1, 8);
        assertThat(atMax.recommended()).isEqualTo(8);
        assertThat(atMax.reason()).isEqualTo(ScalingReason.AT_MAX_INSTANCES);
    }

    @Test
    void shouldClampToMinimumAndSayWhy() {
        // 1000 / 350 -> 3, minimum 5
        SizingProposal down = sizing.propose(keepingUp(10, 1000, 0.2), 5, 100);
        assertThat(down.recommended()).isEqualTo(5);
        assertThat(down.reason()).isEqualTo(ScalingReason.SCALE_DOWN);

        SizingProposal atMin = sizing.propose(keepingUp(5, 500, 0.2), 5, 100);
        assertThat(atMin.reason()).isEqualTo(ScalingReason.AT_MIN_INSTANCES);
    }

    @Test
    void shouldProposeMinimumWhenOperatorIsIdle() {
        SizingProposal p = sizing.propose(keepingUp(6, 3, 0.001), 2, 100);

        assertThat(p.recommended()).isEqualTo(2);
        assertThat(p.reason()).isEqualTo(ScalingReason.SCALE_DOWN);
        assertThat(p.message()).contains("idle");
    }

    @Test
    void shouldNotAddInstancesToIdleOperatorWhoseBacklogGrows() {
        SizingProposal p = sizing.propose(metrics(3, 500, 500, 0, 0.0, 8000, true), 1, 100);

        assertThat(p.recommended()).isEqualTo(3);
        assertThat(p.reason()).isEqualTo(ScalingReason.NO_CHANGE);
    }

    @Test
    void shouldUseConfiguredTargetUtilisation() {
        OperatorSizing half = new OperatorSizing(AutoscalerConfig.defaults()
                .with(AutoscalerOptions.TARGET_UTILIZATION, 0.5));

        // 1900 / (500 x 0.5) = 7.6
        assertThat(half.propose(keepingUp(4, 1900, 0.95), 1, 100).recommended()).isEqualTo(8);
    }

    @Test
    void shouldRejectMetricsThatWereNotEvaluated() {
        assertThatThrownBy(() -> sizing.propose(EvaluatedMetrics.none(3), 1, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
