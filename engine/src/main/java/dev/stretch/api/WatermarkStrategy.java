package dev.stretch.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a source's event time advances, as in Flink. Required when a source is added, so that every
 * stream has a defined notion of time before any operator attaches to it.
 *
 * <ul>
 *   <li>{@link #forMonotonousTimestamps()}: each split's timestamps never go back. An element whose
 *       timestamp is below its split's previous one is a bad record (handled by the job's
 *       {@link ErrorPolicy}).</li>
 *   <li>{@link #forBoundedOutOfOrderness(Duration)}: elements may arrive up to {@code bound} late; the
 *       source holds them back and releases them in order once its watermark
 *       ({@code max timestamp - bound - 1}) passes them. An element at or below the watermark is late:
 *       counted and dropped.</li>
 *   <li>{@link #withIdleness(Duration)}: a split that stays silent that long stops holding back the
 *       operators it feeds. Off by default; the one setting under which output can depend on timing.</li>
 * </ul>
 *
 * <p>Without idleness a job's output depends only on its input: every split's progress is taken from
 * what it emits (and from {@link SourceOutput#markProgress}), never from the clock.
 */
public final class WatermarkStrategy<T> {
    private final long outOfOrdernessMillis;
    private final TimestampAssigner<T> assigner;
    private final Duration idleness;

    private WatermarkStrategy(long outOfOrdernessMillis, TimestampAssigner<T> assigner, Duration idleness) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.assigner = assigner;
        this.idleness = idleness;
    }

    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return new WatermarkStrategy<>(0, null, null);
    }

    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration bound) {
        if (bound.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness bound must be >= 0, was " + bound);
        }
        return new WatermarkStrategy<>(bound.toMillis(), null, null);
    }

    /** Takes event time from the element instead of the source's record timestamp. */
    public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> timestampAssigner) {
        return new WatermarkStrategy<>(outOfOrdernessMillis, Objects.requireNonNull(timestampAssigner), idleness);
    }

    /**
     * Marks a split idle once it has emitted nothing and announced no progress for {@code idleTimeout}
     * (wall-clock time), as Flink's {@code withIdleness}. An idle split no longer holds back the operators
     * it feeds: its progress follows the furthest progress of the other inputs of those operators, so
     * their windows close without it. It turns active again with its next element; an element at or below
     * the progress it was moved to while idle is late (counted and dropped, as an element behind the
     * watermark). If every input of an operator is idle, its event time stands still; if every other input
     * has ended, the idle split lets all windows close.
     *
     * <p><b>Output then depends on timing:</b> which elements of a split that falls silent and resumes are
     * late depends on how long it was silent and how far the others got meanwhile. This is the one setting
     * that gives up the engine's guarantee that the same input gives the same output at any parallelism
     * and speed; leave it off unless a source can fall silent for good (a Kafka partition without
     * traffic). Each split counts its transitions to idle ({@code InstanceMetrics.idleTransitions}).
     *
     * @param idleTimeout how long a split must be silent to count as idle; positive
     */
    public WatermarkStrategy<T> withIdleness(Duration idleTimeout) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleness timeout must be positive, was " + idleTimeout);
        }
        return new WatermarkStrategy<>(outOfOrdernessMillis, assigner, idleTimeout);
    }

    public long outOfOrdernessMillis() {
        return outOfOrdernessMillis;
    }

    public TimestampAssigner<T> timestampAssigner() {
        return assigner;
    }

    public boolean isMonotonous() {
        return outOfOrdernessMillis == 0;
    }

    /** The idleness timeout, or {@code null} when idleness is off (the default). */
    public Duration idleness() {
        return idleness;
    }
}
