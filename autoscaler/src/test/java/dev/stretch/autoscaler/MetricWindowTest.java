package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricWindowTest {

    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final int GROWTH = 3;

    private final MetricWindow window = new MetricWindow();

    private static OperatorSample sample(int n, double input, double processed, double busy, double backlog,
            double lag) {
        return new OperatorSample("op", n, 1, 10, input, processed, busy, backlog, lag);
    }

    private void add(long second, OperatorSample s) {
        window.add(ManualClock.at(second), s, WINDOW);
    }

    private MetricWindow.Evaluation evaluateAt(long second) {
        return window.evaluate(ManualClock.at(second), WINDOW, GROWTH);
    }

    private EvaluatedMetrics completeAt(long second) {
        MetricWindow.Evaluation e = evaluateAt(second);
        assertThat(e).isInstanceOf(MetricWindow.Complete.class);
        return ((MetricWindow.Complete) e).metrics();
    }

    @Test
    void shouldAverageRatesAndBusyAndTakeLatestBacklogAndLag() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100 * s, 50 * s, 0.1 * s, 10 * s, 1000 - s));
        }

        EvaluatedMetrics m = completeAt(5);

        assertThat(m.samples()).isEqualTo(6);
        assertThat(m.inputRate()).isCloseTo(250, within(1e-9)); // mean of 0..500
        assertThat(m.latestInputRate()).isEqualTo(500);
        assertThat(m.processedRate()).isCloseTo(125, within(1e-9));
        assertThat(m.busyRatio()).isCloseTo(0.25, within(1e-9));
        assertThat(m.backlog()).isEqualTo(50);
        assertThat(m.eventTimeLagMillis()).isEqualTo(995);
    }

    @Test
    void shouldComputeTrueRatePerInstanceFromBusyRatio() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 1000, 1000, 0.5, 0, 0));
        }

        // 1000/s over 4 instances busy half the time: one always-busy instance would do 500/s
        assertThat(completeAt(5).trueRatePerInstance()).isCloseTo(500, within(1e-9));
    }

    @Test
    void shouldLeaveTrueRateUndefinedWhenIdle() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 1, 1, 0.0, 0, 0));
        }

        EvaluatedMetrics m = completeAt(5);
        assertThat(m.trueRatePerInstance()).isNaN();
        assertThat(m.isIdle()).isTrue();
    }

    @Test
    void shouldReadBusyAboveOneAsOne() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 1000, 1000, 1.03, 0, 0));
        }

        assertThat(completeAt(5).busyRatio()).isEqualTo(1.0);
    }

    @Test
    void shouldUseOnlySamplesInsideWindow() {
        for (int s = 0; s <= 20; s++) {
            add(s, sample(4, s < 15 ? 9999 : 100, 100, 0.5, 0, 0));
        }

        EvaluatedMetrics m = completeAt(20);
        assertThat(m.samples()).isEqualTo(6);
        assertThat(m.inputRate()).isEqualTo(100);
    }

    @Test
    void shouldDetectGrowthWhenBacklogRisesAcrossLastSamples() {
        double[] backlog = {0, 0, 0, 0, 10, 20};
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, 100, 0.5, backlog[s], 0));
        }

        assertThat(completeAt(5).backlogGrowing()).isTrue();
    }

    @Test
    void shouldNotDetectGrowthAfterSingleRise() {
        double[] backlog = {0, 0, 0, 0, 0, 20};
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, 100, 0.5, backlog[s], 0));
        }

        assertThat(completeAt(5).backlogGrowing()).isFalse();
    }

    @Test
    void shouldNotDetectGrowthWhenBacklogDipsWithinLastSamples() {
        double[] backlog = {10, 20, 30, 40, 35, 50};
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, 100, 0.5, backlog[s], 0));
        }

        assertThat(completeAt(5).backlogGrowing()).isFalse();
    }

    @Test
    void shouldDetectGrowthFromLagAlone() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, 100, 0.5, 7, 100 * s));
        }

        assertThat(completeAt(5).backlogGrowing()).isTrue();
    }

    @Test
    void shouldBeIncompleteUntilObservedForWholeWindow() {
        for (int s = 0; s <= 4; s++) {
            add(s, sample(4, 100, 100, 0.5, 0, 0));
        }

        MetricWindow.Evaluation e = evaluateAt(4);

        assertThat(e).isEqualTo(new MetricWindow.Incomplete(ManualClock.at(0), ManualClock.at(5)));
    }

    @Test
    void shouldRestartWhenInstanceCountChanges() {
        for (int s = 0; s <= 10; s++) {
            add(s, sample(4, 100, 100, 0.5, 0, 0));
        }

        boolean changed = window.add(ManualClock.at(11), sample(5, 100, 100, 0.4, 0, 0), WINDOW);

        assertThat(changed).isTrue();
        assertThat(evaluateAt(11)).isInstanceOf(MetricWindow.Incomplete.class);
        for (int s = 12; s <= 16; s++) {
            add(s, sample(5, 100, 100, 0.4, 0, 0));
        }
        EvaluatedMetrics m = completeAt(16);
        assertThat(m.instances()).isEqualTo(5);
        assertThat(m.busyRatio()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void shouldReportMissingMetricsByName() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, s == 2 ? Double.NaN : 100, 0.5, s == 2 ? -1 : 0, 0));
        }

        MetricWindow.Evaluation e = evaluateAt(5);

        assertThat(e).isInstanceOf(MetricWindow.Missing.class);
        assertThat(((MetricWindow.Missing) e).reason()).contains("processedRate").contains("backlog");
    }

    @Test
    void shouldReportMissingWhenOperatorWasAbsent() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, 100, 0.5, 0, 0));
        }
        window.addAbsence(ManualClock.at(6), WINDOW);

        assertThat(evaluateAt(6)).isInstanceOf(MetricWindow.Missing.class);
        assertThat(window.presentInLatest()).isFalse();
        assertThat(window.lastSeen().instances()).isEqualTo(4);
    }

    @Test
    void shouldReportMissingWhenNoSampleIsInWindow() {
        for (int s = 0; s <= 5; s++) {
            add(s, sample(4, 100, 100, 0.5, 0, 0));
        }

        assertThat(evaluateAt(60)).isInstanceOf(MetricWindow.Missing.class);
    }
}
