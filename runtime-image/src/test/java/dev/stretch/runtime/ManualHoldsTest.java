package dev.stretch.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Holds of manual rescalings in a pod without an in-process autoscaler: kept for their time, then gone. */
class ManualHoldsTest {
    @Test
    void shouldHoldForTheRequestedTimeAndReleaseOnZero() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T14:00:00Z"));
        ManualHolds holds = new ManualHolds(now::get);

        assertThat(holds.heldUntil("counts")).isEmpty();
        assertThat(holds.hold("counts", Duration.ofMinutes(10))).contains(Instant.parse("2026-12-03T14:10:00Z"));
        now.set(Instant.parse("2026-12-03T14:09:59Z"));
        assertThat(holds.heldUntil("counts")).contains(Instant.parse("2026-12-03T14:10:00Z"));
        assertThat(holds.heldUntil("other")).isEmpty();
        now.set(Instant.parse("2026-12-03T14:10:00Z"));
        assertThat(holds.heldUntil("counts")).as("expired").isEmpty();

        holds.hold("counts", Duration.ofHours(1));
        assertThat(holds.hold("counts", Duration.ZERO)).isEmpty();
        assertThat(holds.heldUntil("counts")).as("released by a zero hold").isEmpty();
    }
}
