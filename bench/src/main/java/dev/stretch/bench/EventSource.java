package dev.stretch.bench;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An unpaced generator source for this engine: each split generates its own deterministic stream (seed +
 * split; event {@code i} at {@code i / eventsPerMs}) as fast as it can, {@code eventsPerSplit} events, or
 * until stopped when negative. Generates on the fly (no memory per event), for long-running drivers such
 * as the reconfiguration benchmark; the side-by-side comparison reads pre-generated data instead
 * ({@link ArraySource}).
 */
public final class EventSource implements Source<Event> {
    private static final int BATCH = 4096;

    private final long seed;
    private final int keys;
    private final boolean zipf;
    private final long eventsPerMs;
    private final long eventsPerSplit;
    private final AtomicBoolean stop;

    public EventSource(long seed, int keys, boolean zipf, long eventsPerMs, long eventsPerSplit, AtomicBoolean stop) {
        this.seed = seed;
        this.keys = keys;
        this.zipf = zipf;
        this.eventsPerMs = eventsPerMs;
        this.eventsPerSplit = eventsPerSplit;
        this.stop = stop;
    }

    @Override
    public boolean isBounded() {
        return eventsPerSplit >= 0;
    }

    @Override
    public SplitReader<Event> createReader(int split, int splitCount) {
        EventGenerator g = new EventGenerator(seed + split, keys, zipf);
        long[] next = {0};
        return out -> {
            long i = next[0];
            if ((eventsPerSplit >= 0 && i >= eventsPerSplit) || stop.get()) {
                return ReadResult.end();
            }
            long end = eventsPerSplit < 0 ? i + BATCH : Math.min(i + BATCH, eventsPerSplit);
            for (; i < end; i++) {
                long ts = i / eventsPerMs;
                out.collect(new Event(ts, g.key(i), g.value(i)), ts);
            }
            next[0] = i;
            return ReadResult.more();
        };
    }

    /** A stop flag for unbounded runs. */
    public static AtomicBoolean stopFlag() {
        return new AtomicBoolean();
    }
}
