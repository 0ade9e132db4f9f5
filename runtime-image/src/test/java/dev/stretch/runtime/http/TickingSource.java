package dev.stretch.runtime.http;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;

/**
 * Emits {@link Tick}s with event time advancing by 1 ms per tick, in small bursts with a short idle pause
 * between them, so a test job keeps moving without taking both cores. Endless (until the job is cancelled)
 * or bounded to a number of ticks per split.
 */
final class TickingSource implements Source<TickingSource.Tick> {
    private static final int BURST = 50;
    private static final long PAUSE_NANOS = 1_000_000;

    private final long ticksPerSplit;

    private TickingSource(long ticksPerSplit) {
        this.ticksPerSplit = ticksPerSplit;
    }

    static TickingSource endless() {
        return new TickingSource(Long.MAX_VALUE);
    }

    static TickingSource bounded(long ticksPerSplit) {
        return new TickingSource(ticksPerSplit);
    }

    @Override
    public boolean isBounded() {
        return ticksPerSplit != Long.MAX_VALUE;
    }

    @Override
    public SplitReader<Tick> createReader(int split, int splitCount) {
        return new SplitReader<>() {
            private long emitted;

            @Override
            public ReadResult read(SourceOutput<Tick> out) {
                if (emitted >= ticksPerSplit) {
                    return ReadResult.end();
                }
                for (int i = 0; i < BURST && emitted < ticksPerSplit; i++, emitted++) {
                    out.collect(new Tick(emitted, (emitted * 31 + split) % 17), emitted);
                }
                return ReadResult.idle(PAUSE_NANOS);
            }

            @Override
            public void close() {
            }
        };
    }

    /** One generated event: event time (ms) and a key. */
    record Tick(long ts, long key) {
    }
}
