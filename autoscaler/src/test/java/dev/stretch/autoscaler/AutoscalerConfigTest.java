package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AutoscalerConfigTest {

    @Test
    void shouldUsePaperThresholdsAsDefaults() {
        AutoscalerConfig c = AutoscalerConfig.fromMap(Map.of());

        assertThat(c.get(AutoscalerOptions.TARGET_UTILIZATION)).isEqualTo(0.7);
        assertThat(c.get(AutoscalerOptions.UTILIZATION_LOW)).isEqualTo(0.45);
        assertThat(c.get(AutoscalerOptions.UTILIZATION_HIGH)).isEqualTo(0.9);
        assertThat(c).isEqualTo(AutoscalerConfig.defaults());
    }

    @Test
    void shouldParseEveryOptionFromText() {
        Map<String, String> m = new HashMap<>();
        m.put("autoscaling.mode", "recommend");
        m.put("autoscaling.targetUtilization", "0.6");
        m.put("autoscaling.utilizationBand.low", "0.3");
        m.put("autoscaling.utilizationBand.high", "0.8");
        m.put("autoscaling.metricWindow", "30s");
        m.put("autoscaling.stabilization", "2m");
        m.put("autoscaling.scaleDownDelay", "1h");
        m.put("autoscaling.catchUpTime", "PT45S");
        m.put("autoscaling.maxStep", "4");
        m.put("autoscaling.backlogGrowthSamples", "5");

        AutoscalerConfig c = AutoscalerConfig.fromMap(m);

        assertThat(c.get(AutoscalerOptions.MODE)).isEqualTo(ScalingMode.RECOMMEND);
        assertThat(c.get(AutoscalerOptions.TARGET_UTILIZATION)).isEqualTo(0.6);
        assertThat(c.get(AutoscalerOptions.UTILIZATION_LOW)).isEqualTo(0.3);
        assertThat(c.get(AutoscalerOptions.UTILIZATION_HIGH)).isEqualTo(0.8);
        assertThat(c.get(AutoscalerOptions.METRIC_WINDOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(AutoscalerOptions.STABILIZATION)).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.get(AutoscalerOptions.SCALE_DOWN_DELAY)).isEqualTo(Duration.ofHours(1));
        assertThat(c.get(AutoscalerOptions.CATCH_UP_TIME)).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.get(AutoscalerOptions.MAX_STEP)).isEqualTo(4);
        assertThat(c.get(AutoscalerOptions.BACKLOG_GROWTH_SAMPLES)).isEqualTo(5);
        assertThat(c.toMap()).containsEntry("autoscaling.stabilization", "2m")
                .containsEntry("autoscaling.mode", "Recommend");
    }

    @Test
    void shouldReadBackItsOwnTextForm() {
        AutoscalerConfig c = AutoscalerConfig.defaults().with(AutoscalerOptions.METRIC_WINDOW, Duration.ofMillis(1500))
                .with(AutoscalerOptions.MODE, ScalingMode.OFF);

        assertThat(AutoscalerConfig.fromMap(c.toMap())).isEqualTo(c);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "autoscaling.targetUtilization, 1.5",
            "autoscaling.targetUtilization, abc",
            "autoscaling.targetUtilization, NaN",
            "autoscaling.utilizationBand.low, -0.1",
            "autoscaling.utilizationBand.high, 0",
            "autoscaling.metricWindow, 10",
            "autoscaling.metricWindow, 0s",
            "autoscaling.stabilization, -5s",
            "autoscaling.scaleDownDelay, soon",
            "autoscaling.catchUpTime, 0ms",
            "autoscaling.maxStep, -1",
            "autoscaling.maxStep, 2.5",
            "autoscaling.backlogGrowthSamples, 1",
            "autoscaling.mode, sometimes",
    })
    void shouldNameKeyWhenValueIsInvalid(String key, String value) {
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of(key, value)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(key + ":")
                .satisfies(e -> assertThat(((InvalidConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void shouldRejectEmptyValue() {
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of("autoscaling.maxStep", " ")))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("autoscaling.maxStep:");
    }

    @Test
    void shouldRejectUnknownKeyUnderPrefix() {
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of("autoscaling.targetUtilisation", "0.7")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("autoscaling.targetUtilisation:")
                .hasMessageContaining("autoscaling.targetUtilization");
    }

    @Test
    void shouldIgnoreKeysOutsidePrefix() {
        AutoscalerConfig c = AutoscalerConfig.fromMap(Map.of("job.name", "wordcount", "parallelism", "x"));

        assertThat(c).isEqualTo(AutoscalerConfig.defaults());
    }

    @Test
    void shouldRejectBandThatDoesNotContainTarget() {
        assertThatThrownBy(() -> AutoscalerConfig.fromMap(Map.of("autoscaling.utilizationBand.low", "0.75")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("autoscaling.utilizationBand.low:")
                .hasMessageContaining("autoscaling.targetUtilization");
        assertThatThrownBy(() -> AutoscalerConfig.defaults().with(AutoscalerOptions.TARGET_UTILIZATION, 0.95))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("autoscaling.utilizationBand.high:");
    }

    @Test
    void shouldCheckValuesSetInCode() {
        assertThatThrownBy(() -> AutoscalerConfig.defaults().with(AutoscalerOptions.MAX_STEP, -3))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("autoscaling.maxStep:");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"500ms, 500", "10s, 10000", "5m, 300000", "1h, 3600000", "1.5s, 1500", "1m30s, 90000",
            "1h0.5m, 3630000", "0.25ms, 0.25", "PT1.5S, 1500", "pt2m, 120000"})
    void shouldParseDurationsLikeStreamJobResource(String text, double millis) {
        assertThat(AutoscalerOptions.parseDuration(text)).isEqualTo(Duration.ofNanos(Math.round(millis * 1e6)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10", "s", "1.s", "-1s", "10 s", "1d", "P", "1m 30s"})
    void shouldRejectDurationsWithoutUnitOrGrammar(String text) {
        assertThatThrownBy(() -> AutoscalerOptions.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
