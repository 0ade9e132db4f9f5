package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stretch.model.RateProfile;
import dev.stretch.model.RateSpec;
import org.junit.jupiter.api.Test;

class RateScheduleTest {
    private static RateSpec spec(RateProfile profile, double rate, double peak) {
        RateSpec r = new RateSpec();
        r.setProfile(profile);
        r.setRate(rate);
        r.setPeak(peak);
        return r;
    }

    @Test
    void shouldUseTheDefaultConstantRateWhenTheSpecIsAbsent() {
        RateSchedule s = RateSchedule.of(null);

        assertThat(s.profile()).isEqualTo(RateProfile.CONSTANT);
        assertThat(s.ratePerSecond(5_000)).isEqualTo(1_000.0);
        assertThat(s.expectedEvents(2_500)).isEqualTo(2_500.0);
    }

    @Test
    void shouldStepUpForTheStepDurationAndBackAfterwards() {
        RateSpec r = spec(RateProfile.STEP, 10, 100);
        r.setStepAt("1s");
        r.setStepDuration("500ms");
        RateSchedule s = RateSchedule.of(r);

        assertThat(s.ratePerSecond(999)).isEqualTo(10.0);
        assertThat(s.ratePerSecond(1_000)).isEqualTo(100.0);
        assertThat(s.ratePerSecond(1_499)).isEqualTo(100.0);
        assertThat(s.ratePerSecond(1_500)).isEqualTo(10.0);
        assertThat(s.expectedEvents(2_000)).isEqualTo(10 + 50 + 5.0);
    }

    @Test
    void shouldOscillateBetweenRateAndPeakWhenSine() {
        RateSpec r = spec(RateProfile.SINE, 100, 300);
        r.setPeriod("4s");
        RateSchedule s = RateSchedule.of(r);

        assertThat(s.ratePerSecond(0)).isCloseTo(200, within(1e-9));
        assertThat(s.ratePerSecond(1_000)).isCloseTo(300, within(1e-9));
        assertThat(s.ratePerSecond(3_000)).isCloseTo(100, within(1e-9));
        // a whole period averages the midpoint
        assertThat(s.expectedEvents(4_000)).isCloseTo(800, within(1e-9));
    }

    @Test
    void shouldBurstAtTheStartOfEveryPeriod() {
        RateSpec r = spec(RateProfile.BURST, 10, 1_000);
        r.setPeriod("10s");
        r.setBurstDuration("1s");
        RateSchedule s = RateSchedule.of(r);

        assertThat(s.ratePerSecond(500)).isEqualTo(1_000.0);
        assertThat(s.ratePerSecond(5_000)).isEqualTo(10.0);
        assertThat(s.ratePerSecond(20_500)).isEqualTo(1_000.0);
        assertThat(s.expectedEvents(20_000)).isEqualTo(2 * (1_000 + 90.0));
    }

    @Test
    void shouldRejectABurstLongerThanItsPeriod() {
        RateSpec r = spec(RateProfile.BURST, 10, 1_000);
        r.setPeriod("1s");
        r.setBurstDuration("2s");

        assertThatThrownBy(() -> RateSchedule.of(r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate.burstDuration");
    }

    @Test
    void shouldRejectANegativeRate() {
        assertThatThrownBy(() -> RateSchedule.constant(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate.rate");
    }
}
