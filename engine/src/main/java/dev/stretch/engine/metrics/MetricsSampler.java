package dev.stretch.engine.metrics;

import dev.stretch.api.JobMetrics;
import dev.stretch.api.OperatorMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns successive {@link JobMetrics} snapshots into rates: tuples per second in and out, busy ratio
 * (fraction of instance time spent processing), alongside the gauges (backlog, lag, watermark). The
 * runtime samples it every few seconds for its status endpoint, its progress display and the autoscaler.
 * Thread-safe.
 */
public final class MetricsSampler {
    /**
     * One operator between two snapshots.
     *
     * @param inputRate tuples per second that entered the operator
     * @param outputRate tuples per second it emitted
     * @param busyRatio average over its instances of the fraction of time spent processing, in [0, 1]
     */
    public record OperatorRates(String name, String kind, int instances, double inputRate, double outputRate,
            double busyRatio, long backlog, long eventTimeLagMillis, long watermark, long lateTuples, long badRecords,
            long reconfigurations) {
    }

    private final Supplier<JobMetrics> source;
    private JobMetrics previous;
    private List<OperatorRates> latest = List.of();

    public MetricsSampler(Supplier<JobMetrics> source) {
        this.source = source;
    }

    /** Takes a snapshot and returns the rates since the previous one (zeros on the first call). */
    public synchronized List<OperatorRates> sample() {
        JobMetrics now = source.get();
        Map<String, OperatorMetrics> before = new HashMap<>();
        if (previous != null) {
            for (OperatorMetrics o : previous.operators()) {
                before.put(o.name(), o);
            }
        }
        double dt = previous == null ? 0 : (now.nanoTime() - previous.nanoTime()) / 1e9;
        List<OperatorRates> out = new ArrayList<>();
        for (OperatorMetrics o : now.operators()) {
            OperatorMetrics b = before.get(o.name());
            double in = 0;
            double outRate = 0;
            double busy = 0;
            if (b != null && dt > 0) {
                in = Math.max(0, o.tuplesIn() - b.tuplesIn()) / dt;
                outRate = Math.max(0, o.tuplesOut() - b.tuplesOut()) / dt;
                int inst = Math.max(1, Math.max(o.instances(), b.instances()));
                busy = Math.min(1.0, Math.max(0, o.busyNanos() - b.busyNanos()) / (dt * 1e9 * inst));
            }
            out.add(new OperatorRates(o.name(), o.kind(), o.instances(), in, outRate, busy, o.backlogTuples(),
                    o.eventTimeLagMillis(), o.watermark(), o.lateTuples(), o.badRecords(), o.reconfigurations()));
        }
        previous = now;
        latest = List.copyOf(out);
        return latest;
    }

    /** The result of the last {@link #sample()}. */
    public synchronized List<OperatorRates> latest() {
        return latest;
    }
}
