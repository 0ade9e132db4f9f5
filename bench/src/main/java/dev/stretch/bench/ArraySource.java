package dev.stretch.bench;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import org.HdrHistogram.Histogram;

/**
 * This engine's benchmark source: the first {@code events} events of a pre-generated {@link Dataset} in
 * strided splits (split {@code j} of {@code P} reads events {@code j, j + P, …}), so every split moves
 * through event time at the same pace and none holds windows back. Unpaced it reads as fast as the job
 * takes it; paced it releases each event at its {@link Pacing} time and idles in between.
 */
final class ArraySource implements Source<Event> {
    private static final int BATCH = 4096;

    private final Dataset data;
    private final long events;
    private final OutputTally tally;

    ArraySource(Dataset data, long events, OutputTally tally) {
        this.data = data;
        this.events = events;
        this.tally = tally;
    }

    @Override
    public SplitReader<Event> createReader(int split, int splitCount) {
        return new Reader(data.cursor(split, splitCount), splitCount);
    }

    private final class Reader implements SplitReader<Event> {
        private final Dataset.Cursor c;
        private final int stride;
        private final Pacing pacing = tally.pacing();
        private final Event[] elements = new Event[BATCH];
        private final long[] timestamps = new long[BATCH];
        /** Paced: how late each read hands its events over (see {@link LatencyTrace}). */
        private final Histogram lag = pacing == null ? null : new Histogram(3_600_000_000L, 3);
        /** Paced: the next window end (a multiple of {@link LatencyTrace#GRANULE_MS}) this split has not handed over. */
        private long nextBoundary = Long.MIN_VALUE;

        Reader(Dataset.Cursor c, int stride) {
            this.c = c;
            this.stride = stride;
        }

        @Override
        public ReadResult read(SourceOutput<Event> out) {
            tally.markSourceStart();
            if (c.index() >= events) {
                return ReadResult.end();
            }
            int n = BATCH;
            if (pacing != null) {
                n = pacing.dueCount(c.index(), stride, BATCH);
                if (n == 0) {
                    return ReadResult.idle(Math.max(1000, pacing.dueNanos(c.index()) - System.nanoTime()));
                }
            }
            int k = 0;
            for (; k < n && c.index() < events; k++) {
                long ts = c.ts();
                elements[k] = new Event(ts, c.key(), c.value());
                timestamps[k] = ts;
                c.advance();
            }
            if (lag != null && k > 0) {
                long now = System.nanoTime();
                lag.recordValue(LatencyTrace.clamp((now - pacing.dueNanos(c.index() - stride)) / 1000));
                windowCloses(now, c.index() - (long) k * stride, k);
            }
            out.collectBatch(elements, timestamps, k); // the batched source API: checks and numbering per batch
            return ReadResult.more();
        }

        /**
         * For each window end this read's events cross (its first event at or after the end: the split's
         * window-closing event), how late it is handed over against its schedule; the trace keeps the latest
         * split per window, the one the window's close waits for.
         */
        private void windowCloses(long now, long firstIndex, int k) {
            if (timestamps[k - 1] < nextBoundary) {
                return;
            }
            long g = LatencyTrace.GRANULE_MS;
            for (int q = 0; q < k; q++) {
                long t = timestamps[q];
                if (t >= nextBoundary) {
                    long end = Math.floorDiv(t, g) * g; // the window end this event closes (it may close several)
                    if (nextBoundary != Long.MIN_VALUE) {
                        tally.trace().sourceClose(end, LatencyTrace.clamp((now - pacing.dueNanos(firstIndex + (long) q * stride)) / 1000));
                    }
                    nextBoundary = end + g;
                }
            }
        }

        @Override
        public void close() {
            if (lag != null) {
                tally.trace().addSourceLag(lag);
                lag.reset();
            }
        }
    }
}
