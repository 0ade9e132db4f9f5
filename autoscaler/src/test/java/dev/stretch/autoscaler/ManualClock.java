package dev.stretch.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class ManualClock implements InstantSource {

    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private Instant now = START;

    @Override
    public Instant instant() {
        return now;
    }

    ManualClock set(Instant instant) {
        now = instant;
        return this;
    }

    ManualClock advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    /** {@link #START} plus {@code seconds}. */
    static Instant at(double seconds) {
        return START.plusMillis(Math.round(seconds * 1000));
    }
}
