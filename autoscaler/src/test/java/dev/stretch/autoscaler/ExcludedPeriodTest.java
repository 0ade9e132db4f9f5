package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExcludedPeriodTest {
    // 2025-01-01 is a Wednesday, 2025-01-04 a Saturday

    @Test
    void shouldContainTimesInsideTheDailyRangeOnly() {
        ExcludedPeriod p = ExcludedPeriod.parse("08:00-10:00");
        assertThat(p.contains(Instant.parse("2025-01-01T08:00:00Z"))).isTrue();
        assertThat(p.contains(Instant.parse("2025-01-01T09:59:59Z"))).isTrue();
        assertThat(p.contains(Instant.parse("2025-01-01T10:00:00Z"))).isFalse();
        assertThat(p.contains(Instant.parse("2025-01-01T07:59:59Z"))).isFalse();
    }

    @Test
    void shouldApplyDaysAndWrapPastMidnight() {
        ExcludedPeriod weekdays = ExcludedPeriod.parse("Mon-Fri 22:00-02:00");
        assertThat(weekdays.contains(Instant.parse("2025-01-01T23:00:00Z"))).isTrue();
        assertThat(weekdays.contains(Instant.parse("2025-01-02T01:00:00Z"))).as("Wednesday's night").isTrue();
        assertThat(weekdays.contains(Instant.parse("2025-01-04T23:00:00Z"))).as("Saturday").isFalse();
        assertThat(weekdays.contains(Instant.parse("2025-01-04T01:00:00Z"))).as("Friday's night").isTrue();
        assertThat(ExcludedPeriod.parse("Sat,Sun 00:00-24:00").contains(Instant.parse("2025-01-04T23:59:00Z")))
                .isTrue();
    }

    @Test
    void shouldRefuseOtherSyntaxNamingTheExpectedOne() {
        assertThatThrownBy(() -> ExcludedPeriod.parse("8-10")).hasMessageContaining("HH:MM-HH:MM");
        assertThatThrownBy(() -> ExcludedPeriod.parse("Monday 08:00-10:00")).hasMessageContaining("DAYS");
    }
}
