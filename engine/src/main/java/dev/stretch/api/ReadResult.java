package dev.stretch.api;

/** What a {@link SplitReader} wants after a {@code read} call. */
public final class ReadResult {
    private static final ReadResult MORE = new ReadResult(0, false);
    private static final ReadResult END = new ReadResult(0, true);

    private final long idleNanos;
    private final boolean end;

    private ReadResult(long idleNanos, boolean end) {
        this.idleNanos = idleNanos;
        this.end = end;
    }

    /** More records are available now. */
    public static ReadResult more() {
        return MORE;
    }

    /** Nothing to read for about {@code nanos}; the engine flushes and waits. */
    public static ReadResult idle(long nanos) {
        return new ReadResult(Math.max(1, nanos), false);
    }

    /** The split has ended. */
    public static ReadResult end() {
        return END;
    }

    public boolean isEnd() {
        return end;
    }

    public boolean isIdle() {
        return idleNanos > 0;
    }

    public long idleNanos() {
        return idleNanos;
    }
}
