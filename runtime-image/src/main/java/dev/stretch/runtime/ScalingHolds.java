package dev.stretch.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a manual rescaling means while the in-process autoscaler runs: the operator is held at the count
 * that was asked for, for a stated time, and the autoscaler leaves it alone until then (it keeps observing
 * and recommending, and resumes from the held count afterwards). Without this, the autoscaler would undo the
 * change at its next decision.
 */
public interface ScalingHolds {
    /** Hold for a manual change when the request does not say how long. */
    Duration DEFAULT_HOLD = Duration.ofMinutes(10);
    /** The longest hold a request may ask for. */
    Duration MAX_HOLD = Duration.ofHours(24);

    /**
     * Holds {@code operator} for {@code hold} from now (a zero hold releases it).
     *
     * @return until when it is held, or empty when it was released
     */
    Optional<Instant> hold(String operator, Duration hold);

    /** Until when {@code operator} is held, or empty when the autoscaler may change it. */
    Optional<Instant> heldUntil(String operator);
}
