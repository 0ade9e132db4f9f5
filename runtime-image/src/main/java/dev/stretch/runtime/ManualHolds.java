package dev.stretch.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The holds of manual rescalings in a process without an in-process autoscaler (a pod of a job the Kubernetes
 * operator scales): kept here and reported as {@code heldUntil} in {@code GET /v1/status}, where the operator reads
 * them and leaves the held operators of this pod alone until then (contract C2: two loops never fight).
 *
 * <p>Thread-safe: written by the HTTP threads, read by the status endpoint; the map is a
 * {@link ConcurrentHashMap}, whose put/get give the happens-before a reader needs to see a hold once it is stored.
 */
public final class ManualHolds implements ScalingHolds {
    private final Map<String, Instant> holds = new ConcurrentHashMap<>();
    private final InstantSource clock;

    public ManualHolds(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Instant> hold(String operator, Duration hold) {
        if (hold.isZero() || hold.isNegative()) {
            holds.remove(operator);
            return Optional.empty();
        }
        Instant until = clock.instant().plus(hold);
        holds.put(operator, until);
        return Optional.of(until);
    }

    @Override
    public Optional<Instant> heldUntil(String operator) {
        Instant until = holds.get(operator);
        if (until != null && !clock.instant().isBefore(until)) {
            holds.remove(operator, until);
            return Optional.empty();
        }
        return Optional.ofNullable(until);
    }
}
