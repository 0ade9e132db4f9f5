package dev.stretch.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What one job run produced: output count, checksum, when its first source record was read and its last
 * sink writer closed (the processing interval, which leaves out engine start-up such as Flink's
 * MiniCluster), and for paced runs the end-to-end latency of every output of a window ending at or after
 * {@code latencyFromEnd} and closed by an event ({@link Pacing#closedByEvent}: not the windows the end of the input
 * flushes before their scheduled close, which would record a latency of 0).
 *
 * <p>There is one current tally per JVM ({@link #begin}), because Flink builds its sink and source
 * objects from serialized copies: statics are how they find the run's tally and data (the MiniCluster
 * runs in this JVM, on the application class loader). One job runs at a time.
 */
public final class OutputTally {
    private static volatile OutputTally current;

    private final Pacing pacing;
    private final long latencyFromEnd;
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final AtomicLong sourceStart = new AtomicLong();
    private final AtomicLong lastClose = new AtomicLong();
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final LatencyTrace trace;

    private OutputTally(Pacing pacing, long latencyFromEnd) {
        this.pacing = pacing;
        this.latencyFromEnd = latencyFromEnd;
        this.trace = pacing == null ? null : new LatencyTrace();
    }

    /** Starts a new run's tally; {@code pacing} is null for an unpaced (throughput) run. */
    public static OutputTally begin(Pacing pacing, long latencyFromEnd) {
        OutputTally t = new OutputTally(pacing, latencyFromEnd);
        current = t;
        return t;
    }

    public static OutputTally current() {
        OutputTally t = current;
        if (t == null) {
            throw new IllegalStateException("no run in progress");
        }
        return t;
    }

    public Pacing pacing() {
        return pacing;
    }

    /** Where a paced run's latency goes ({@code null} for an unpaced run). */
    LatencyTrace trace() {
        return trace;
    }

    public void markSourceStart() {
        if (sourceStart.get() == 0) {
            sourceStart.compareAndSet(0, System.nanoTime());
        }
    }

    public Writer newWriter() {
        return new Writer();
    }

    public long outputs() {
        return count.sum();
    }

    public long checksum() {
        return sum.sum();
    }

    public long sourceStartNanos() {
        return sourceStart.get();
    }

    public long lastCloseNanos() {
        return lastClose.get();
    }

    /** A copy of the latency histogram (microseconds). */
    public synchronized Histogram latency() {
        return latencyMicros.copy();
    }

    /** One sink instance's share: counted without sharing, published on close. */
    public final class Writer {
        private long n;
        private long s;
        private final Histogram lat = pacing == null ? null : new Histogram(3_600_000_000L, 3);

        public void add(long hash, long windowEnd) {
            n++;
            s += hash;
            if (lat != null && windowEnd >= latencyFromEnd && pacing.closedByEvent(windowEnd)) {
                long micros = (System.nanoTime() - pacing.closeNanos(windowEnd)) / 1000;
                lat.recordValue(Math.min(3_600_000_000L, Math.max(0, micros)));
                if (windowEnd != traceEnd && windowEnd % LatencyTrace.GRANULE_MS == 0) { // a writer gets a window's results together
                    traceWindow();
                    traceEnd = windowEnd;
                    traceFirst = micros;
                }
                if (windowEnd == traceEnd) {
                    traceLast = micros;
                }
            }
        }

        private long traceEnd = Long.MIN_VALUE;
        private long traceFirst;
        private long traceLast;

        private void traceWindow() {
            if (traceEnd != Long.MIN_VALUE) {
                trace.window(traceEnd, traceFirst, traceLast);
            }
        }

        public void close() {
            if (lat != null) {
                traceWindow();
                traceEnd = Long.MIN_VALUE;
            }
            count.add(n);
            sum.add(s);
            n = 0;
            s = 0;
            lastClose.accumulateAndGet(System.nanoTime(), Math::max);
            if (lat != null) {
                synchronized (OutputTally.this) {
                    latencyMicros.add(lat);
                }
                lat.reset();
            }
        }
    }
}
