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
 * </ul>
 */
public final class WatermarkStrategy<T> {
    private final long outOfOrdernessMillis;
    private final TimestampAssigner<T> assigner;

    private WatermarkStrategy(long outOfOrdernessMillis, TimestampAssigner<T> assigner) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.assigner = assigner;
    }

    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return new WatermarkStrategy<>(0, null);
    }

    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration bound) {
        if (bound.isNegative()) {
            throw new IllegalArgumentException("out-of-orderness bound must be >= 0, was " + bound);
        }
        return new WatermarkStrategy<>(bound.toMillis(), null);
    }

    /** Takes event time from the element instead of the source's record timestamp. */
    public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> timestampAssigner) {
        return new WatermarkStrategy<>(outOfOrdernessMillis, Objects.requireNonNull(timestampAssigner));
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
}
