package dev.stretch.bench;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SplitReader;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The benchmark source for this engine: each split generates its own deterministic stream (seed + split)
 * as fast as it can, {@code eventsPerSplit} events (or until stopped when negative).
 */
public final class EventSource implements Source<Event> {
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
        EventGenerator g = new EventGenerator(seed + split, keys, zipf, eventsPerMs);
        return out -> {
            if ((eventsPerSplit >= 0 && g.count() >= eventsPerSplit) || stop.get()) {
                return ReadResult.end();
            }
            long n = eventsPerSplit < 0 ? 4096 : Math.min(4096, eventsPerSplit - g.count());
            for (long k = 0; k < n; k++) {
                long ts = g.nextTs();
                out.collect(new Event(ts, g.nextKey(), g.nextValue()), ts);
                g.advance();
            }
            return ReadResult.more();
        };
    }

    /** A stop flag for unbounded runs. */
    public static AtomicBoolean stopFlag() {
        return new AtomicBoolean();
    }

}
