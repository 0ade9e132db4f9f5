package dev.stretch.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The release schedule of a paced (latency) run: event {@code i} of each input stream is released no
 * earlier than {@code t0 + i / ratePerStream} seconds. {@code t0} is fixed by the first split that
 * starts, plus a lead so that the other splits of a slower-starting engine are ready by then.
 *
 * <p>A window ending at {@code W} can close once every split has released an event with timestamp
 * {@code >= W}. With strided splits (split {@code j} of {@code P} reads events {@code j, j + P, …}) the
 * last of those is event {@code W·eventsPerMs + P − 1}; its scheduled release is the window's close time,
 * the zero point of the latency. Using the schedule, not the actual release, charges a source that falls
 * behind (backpressure) to the latency instead of hiding it.
 */
public final class Pacing {
    private static final long START_LEAD_NANOS = 100_000_000L;

    private final double nanosPerEvent;
    private final long eventsPerMs;
    private final int splits;
    private final AtomicLong t0 = new AtomicLong(Long.MIN_VALUE);
    private final long eventsPerStream;

    /**
     * @param ratePerStream events per second of each input stream
     * @param eventsPerMs events per millisecond of event time
     * @param splits splits per input stream
     */
    public Pacing(double ratePerStream, long eventsPerMs, int splits) {
        this(ratePerStream, eventsPerMs, splits, Long.MAX_VALUE);
    }

    /**
     * @param eventsPerStream events each input stream has in all: a window whose closing event is beyond them is
     *     closed by the end of the input, not by an event, and has no latency ({@link #closedByEvent})
     */
    public Pacing(double ratePerStream, long eventsPerMs, int splits, long eventsPerStream) {
        this.eventsPerStream = eventsPerStream;
        if (!(ratePerStream > 0)) {
            throw new IllegalArgumentException("rate must be > 0, was " + ratePerStream);
        }
        this.nanosPerEvent = 1e9 / ratePerStream;
        this.eventsPerMs = eventsPerMs;
        this.splits = splits;
    }

    /** The schedule's origin; the first call fixes it. */
    public long origin() {
        long t = t0.get();
        if (t == Long.MIN_VALUE) {
            t0.compareAndSet(Long.MIN_VALUE, System.nanoTime() + START_LEAD_NANOS);
            t = t0.get();
        }
        return t;
    }

    public long dueNanos(long index) {
        return origin() + (long) (index * nanosPerEvent);
    }

    /** Scheduled time at which the window ending at {@code windowEnd} (ms of event time) could close. */
    public long closeNanos(long windowEnd) {
        return dueNanos(windowEnd * eventsPerMs + splits - 1);
    }

    /**
     * Whether the window ending at {@code windowEnd} is closed by an event of every split (its last closing event,
     * {@code windowEnd·eventsPerMs + splits − 1}, exists). The windows after the last event (a sliding window's
     * last WS/WA − 1 ends) are emitted when the input ends, before their scheduled close: they have no latency.
     */
    public boolean closedByEvent(long windowEnd) {
        return windowEnd <= (eventsPerStream - splits) / eventsPerMs; // windowEnd·epm + splits − 1 < eventsPerStream
    }

    /** Events (of one split's stride) due by now, starting at index {@code next}, at most {@code max}. */
    public int dueCount(long next, int stride, int max) {
        long now = System.nanoTime() - origin();
        if (now < 0) {
            return 0;
        }
        long lastDue = (long) (now / nanosPerEvent);
        if (lastDue < next) {
            return 0;
        }
        return (int) Math.min(max, (lastDue - next) / stride + 1);
    }

    /** Parks until event {@code index} is due. */
    public void awaitDue(long index) {
        long wait = dueNanos(index) - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
