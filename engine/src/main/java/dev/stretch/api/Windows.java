package dev.stretch.api;

import java.time.Duration;

/**
 * Event-time windows aligned to the epoch: tumbling ({@code slide == size}) or sliding
 * ({@code slide < size}). Window {@code [start, start + size)} exists for every {@code start} that is a
 * multiple of {@code slide}.
 */
public record Windows(long sizeMillis, long slideMillis) {
    public Windows {
        if (sizeMillis <= 0) {
            throw new IllegalArgumentException("window size must be > 0, was " + sizeMillis);
        }
        if (slideMillis <= 0) {
            throw new IllegalArgumentException("window slide must be > 0, was " + slideMillis);
        }
        if (slideMillis > sizeMillis) {
            throw new IllegalArgumentException("window slide (" + slideMillis + " ms) must not exceed its size ("
                    + sizeMillis + " ms): elements between windows would belong to none");
        }
    }

    public static Windows tumbling(Duration size) {
        return new Windows(size.toMillis(), size.toMillis());
    }

    public static Windows sliding(Duration size, Duration slide) {
        return new Windows(size.toMillis(), slide.toMillis());
    }

    public static Windows tumblingMillis(long size) {
        return new Windows(size, size);
    }

    public static Windows slidingMillis(long size, long slide) {
        return new Windows(size, slide);
    }

    public boolean isTumbling() {
        return sizeMillis == slideMillis;
    }

    /** Length of a pane: the largest slice that every window boundary falls on. */
    public long paneMillis() {
        long a = sizeMillis;
        long b = slideMillis;
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
