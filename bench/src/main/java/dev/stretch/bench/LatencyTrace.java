package dev.stretch.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Where a paced run's end-to-end latency goes, per window (see {@link Pacing} for the zero point):
 *
 * <ul>
 *   <li>{@code source_lag}: how late this engine's benchmark source handed its events to the engine, against
 *       their scheduled release (per read: the wall time before {@code collectBatch} minus the scheduled
 *       release of the read's last event). Backpressure shows here: a source that cannot hand over on time
 *       falls behind its schedule;</li>
 *   <li>{@code source_lag_at_close}: per recorded window end, how late the last source split handed over its
 *       window-closing event (its first event at or after the end) against its schedule. Unlike
 *       {@code source_lag}, which counts every read of the whole run alike (many small on-time reads outnumber the
 *       few large late ones, so a lag of hundreds of ms can hide above its p99), this is one value per window,
 *       beside {@code first_result}; {@code first_result_after_source} is their difference per window: what the
 *       engine took once the closing event was in (watermark, the instance's turn, emission);</li>
 *   <li>{@code first_result}: per window end, the latency of the first of its results to reach a sink writer:
 *       the time until the window closed somewhere (queueing, watermark propagation, the instance's turn);</li>
 *   <li>{@code burst}: per window end, last minus first result's latency: how long the window's results
 *       kept coming (emission, and instances closing the same window at different times).</li>
 * </ul>
 *
 * Recorded for the windows {@link OutputTally} records latency for that end at a multiple of {@link #GRANULE_MS}
 * (every window of the 100 ms and 1000 ms workloads; every hundredth millisecond of the band join, whose
 * "window end" is its pair's timestamp + 1, so that the trace stays cheap). The sink side applies to every
 * contender; the source lag to this engine's runs only ({@link ArraySource}). Per-window latencies can be
 * written to a file ({@code -Dbench.latencyTrace.file=PATH}: window end, first and last result's latency in
 * ms, and the window's scheduled close as seconds of JVM uptime, to set beside a GC log).
 */
final class LatencyTrace {
    static final long GRANULE_MS = 100;
    private final Histogram sourceLag = new Histogram(3_600_000_000L, 3);
    /** Per window end: {first latency, last latency} in microseconds. */
    private final Map<Long, long[]> windows = new ConcurrentHashMap<>();

    /** Per window end: the latest source split's lag (µs) in handing over its window-closing event. */
    private final Map<Long, Long> sourceCloses = new ConcurrentHashMap<>();

    /** A source split handed over its first event at or after {@code windowEnd} {@code lagMicros} late. */
    void sourceClose(long windowEnd, long lagMicros) {
        sourceCloses.merge(windowEnd, lagMicros, Math::max);
    }

    /** A source reader's lags, merged into the run's when the reader closes. */
    synchronized void addSourceLag(Histogram h) {
        sourceLag.add(h);
    }

    /** One sink writer's first and last latency (µs) for a window; writers of the same window are combined. */
    void window(long windowEnd, long first, long last) {
        windows.merge(windowEnd, new long[] {first, last},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    /** Adds {@code latency_trace} to a result. */
    synchronized void describe(ObjectNode o) {
        Histogram first = new Histogram(3_600_000_000L, 3);
        Histogram burst = new Histogram(3_600_000_000L, 3);
        for (long[] v : windows.values()) {
            first.recordValue(clamp(v[0]));
            burst.recordValue(clamp(v[1] - v[0]));
        }
        ObjectNode t = o.putObject("latency_trace");
        t.put("windows", windows.size());
        if (sourceLag.getTotalCount() > 0) { // this engine's benchmark source only (not Flink's)
            put(t.putObject("source_lag_ms"), sourceLag);
            // per recorded window: how late its closing event entered the engine, and what the engine took after
            Histogram atClose = new Histogram(3_600_000_000L, 3);
            Histogram after = new Histogram(3_600_000_000L, 3);
            windows.forEach((end, v) -> {
                Long lag = sourceCloses.get(end);
                if (lag != null) {
                    atClose.recordValue(lag);
                    after.recordValue(clamp(v[0] - lag));
                }
            });
            if (atClose.getTotalCount() > 0) {
                put(t.putObject("source_lag_at_close_ms"), atClose);
                put(t.putObject("first_result_after_source_ms"), after);
            }
        }
        put(t.putObject("first_result_ms"), first);
        put(t.putObject("burst_ms"), burst);
    }

    /** One line for a log. */
    synchronized String summary() {
        Histogram first = new Histogram(3_600_000_000L, 3);
        Histogram burst = new Histogram(3_600_000_000L, 3);
        for (long[] v : windows.values()) {
            first.recordValue(clamp(v[0]));
            burst.recordValue(clamp(v[1] - v[0]));
        }
        return "windows " + windows.size() + ", source lag " + q(sourceLag) + ", first result " + q(first) + ", burst "
                + q(burst);
    }

    /** Writes every window's first and last result latency to {@code file} (see the class comment). */
    void dump(String file, Pacing pacing) {
        long jvmStart = System.nanoTime()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        try (PrintWriter w = new PrintWriter(file)) {
            w.println("# window_end first_result_ms last_result_ms scheduled_close_uptime_s source_lag_at_close_ms");
            new TreeMap<>(windows).forEach((end, v) -> {
                Long lag = sourceCloses.get(end);
                w.printf(Locale.ROOT, "%d %.3f %.3f %.3f %s%n", end, v[0] / 1000.0, v[1] / 1000.0,
                        (pacing.closeNanos(end) - jvmStart) / 1e9, lag == null ? "-" : String.format(Locale.ROOT, "%.3f", lag / 1000.0));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long clamp(long micros) {
        return Math.min(3_600_000_000L, Math.max(0, micros));
    }

    private static void put(ObjectNode n, Histogram h) {
        n.put("p50", h.getValueAtPercentile(50) / 1000.0);
        n.put("p90", h.getValueAtPercentile(90) / 1000.0);
        n.put("p99", h.getValueAtPercentile(99) / 1000.0);
        n.put("max", h.getMaxValue() / 1000.0);
    }

    private static String q(Histogram h) {
        return String.format(Locale.ROOT, "p50 %.2f / p90 %.2f / p99 %.2f / max %.2f ms", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
}
