package dev.stretch.runtime.autoscale;

import dev.stretch.api.JobExecution;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.autoscaler.AutoscalerConfig;
import dev.stretch.autoscaler.AutoscalerOptions;
import dev.stretch.autoscaler.JobAutoscaler;
import dev.stretch.autoscaler.MetricSample;
import dev.stretch.autoscaler.OperatorSample;
import dev.stretch.autoscaler.ScalingDecision;
import dev.stretch.autoscaler.ScalingMode;
import dev.stretch.autoscaler.ScalingReport;
import dev.stretch.engine.metrics.MetricsSampler.OperatorRates;
import dev.stretch.model.AutoscalingMode;
import dev.stretch.model.AutoscalingSpec;
import dev.stretch.model.Defaults;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.ManualHolds;
import dev.stretch.runtime.ScalingHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The in-process autoscaler: after every metrics sample it feeds the keyed operators' rates to the shared
 * policy ({@link JobAutoscaler}) and, when the report says so, resizes their thread pools in place through
 * the engine's reconfiguration (milliseconds, no state moved). Runs on the sampler's thread.
 */
public final class LocalAutoscaler implements AutoCloseable, ScalingHolds {
    private static final System.Logger LOG = System.getLogger(LocalAutoscaler.class.getName());
    /**
     * Backlog and event-time lag below these are the engine's batching and window granularity, not a trend:
     * a backlog of a few batches or a lag of a few milliseconds that happens to rise across three samples
     * must not count as "growing" (it would hold an idle operator at its threads).
     */
    static final long BACKLOG_NOISE_TUPLES = 4096;
    static final long LAG_NOISE_MILLIS = 200;

    private final JobProcess process;
    private final JobAutoscaler policy;
    private final BiConsumer<ReconfigurationResult, String> onChange;
    private final Map<String, long[]> lastBacklog = new HashMap<>();
    private final InstantSource clock;
    private volatile boolean closed;
    private ScalingReport lastReport;
    /** Holds of manual changes; read by the HTTP threads (thread-safe, see {@link ManualHolds}). */
    private final ManualHolds holds;
    private final AtomicLong heldBack = new AtomicLong();

    public LocalAutoscaler(JobProcess process, AutoscalingSpec spec, InstantSource clock,
            BiConsumer<ReconfigurationResult, String> onChange) {
        this.process = process;
        this.clock = clock;
        this.holds = new ManualHolds(clock);
        this.policy = new JobAutoscaler(config(spec), clock);
        this.onChange = onChange;
        process.onSample(this::step);
    }

    /** The policy configuration a job's {@code autoscaling} block asks for (unset fields keep their defaults). */
    public static AutoscalerConfig config(AutoscalingSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        AutoscalingMode mode = spec == null || spec.getMode() == null ? AutoscalingMode.AUTO : spec.getMode();
        m.put(AutoscalerOptions.MODE.key(), mode.wireName());
        m.put(AutoscalerOptions.TARGET_UTILIZATION.key(), Double.toString(Defaults.targetUtilization(spec)));
        m.put(AutoscalerOptions.UTILIZATION_LOW.key(), Double.toString(Defaults.bandLow(spec)));
        m.put(AutoscalerOptions.UTILIZATION_HIGH.key(), Double.toString(Defaults.bandHigh(spec)));
        m.put(AutoscalerOptions.METRIC_WINDOW.key(), Defaults.metricWindow(spec).toMillis() + "ms");
        m.put(AutoscalerOptions.STABILIZATION.key(), Defaults.stabilization(spec).toMillis() + "ms");
        m.put(AutoscalerOptions.SCALE_DOWN_DELAY.key(), Defaults.scaleDownDelay(spec).toMillis() + "ms");
        return AutoscalerConfig.fromMap(m);
    }

    @Override
    public Optional<Instant> hold(String operator, Duration hold) {
        return holds.hold(operator, hold);
    }

    @Override
    public Optional<Instant> heldUntil(String operator) {
        return holds.heldUntil(operator);
    }

    /** How many changes the policy decided and a hold kept from being made (for tests and diagnosis). */
    public long changesHeldBack() {
        return heldBack.get();
    }

    /** The last report, for status and tests. */
    public synchronized ScalingReport lastReport() {
        return lastReport;
    }

    synchronized void step(List<OperatorRates> rates) {
        if (closed) {
            return;
        }
        JobExecution e = process.execution();
        if (e.status() != JobExecution.Status.RUNNING) {
            return;
        }
        Map<String, int[]> bounds = process.threadBounds();
        List<OperatorSample> ops = new ArrayList<>();
        long now = System.nanoTime();
        for (OperatorRates r : rates) {
            int[] b = bounds.get(r.name());
            if (b == null || !r.kind().equals("window")) {
                continue;
            }
            long[] prev = lastBacklog.put(r.name(), new long[] {now, r.backlog()});
            double growth = 0;
            if (prev != null && now > prev[0]) {
                growth = (r.backlog() - prev[1]) / ((now - prev[0]) / 1e9);
            }
            double arriving = Math.max(0, r.inputRate() + growth);
            long backlog = r.backlog() < BACKLOG_NOISE_TUPLES ? 0 : r.backlog();
            long lag = r.eventTimeLagMillis() < LAG_NOISE_MILLIS ? 0 : r.eventTimeLagMillis();
            ops.add(new OperatorSample(r.name(), r.instances(), b[0], b[1], arriving, r.inputRate(), r.busyRatio(),
                    backlog, lag));
        }
        if (ops.isEmpty()) {
            return;
        }
        policy.observe(new MetricSample(clock.instant(), ops, false));
        ScalingReport report = policy.evaluate();
        lastReport = report;
        if (!report.shouldApply() || !report.hasChanges()) {
            return;
        }
        Map<String, Integer> targets = report.targets();
        for (Map.Entry<String, Integer> t : targets.entrySet()) {
            if (t.getValue() == e.instances(t.getKey())) {
                continue;
            }
            Optional<Instant> held = heldUntil(t.getKey());
            if (held.isPresent()) {
                heldBack.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "autoscaler: leaves " + t.getKey() + " at " + e.instances(t.getKey())
                        + " threads (held by a manual change until " + held.get() + "); would go to " + t.getValue());
                continue;
            }
            try {
                ReconfigurationResult r = e.reconfigure(t.getKey(), t.getValue());
                ScalingDecision d = report.decision(t.getKey()).orElse(null);
                onChange.accept(r, d == null ? "autoscaler" : d.reason().code());
                LOG.log(System.Logger.Level.INFO, "autoscaler: " + t.getKey() + " " + r.from() + " -> " + r.to()
                        + " threads in " + String.format(java.util.Locale.ROOT, "%.2f", r.durationMillis()) + " ms"
                        + (d == null ? "" : ": " + d.message()));
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "autoscaler could not rescale " + t.getKey() + ": " + ex.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Whether the policy acts (Auto) or only reports (Recommend). */
    public static boolean acts(AutoscalingSpec spec) {
        return config(spec).get(AutoscalerOptions.MODE) == ScalingMode.AUTO;
    }
}
