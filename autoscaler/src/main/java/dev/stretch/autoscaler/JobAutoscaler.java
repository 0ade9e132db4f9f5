package dev.stretch.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The autoscaling policy of one job: metric samples in, a {@link ScalingReport} of per-operator decisions out.
 * The caller feeds every sample to {@link #observe(MetricSample)}, calls {@link #evaluate()} whenever it wants a
 * decision (typically right after each sample), and applies the report's {@link ScalingReport#targets() targets}
 * when {@link ScalingReport#shouldApply()} says so. No threads, no I/O: time comes from the injected
 * {@link InstantSource}, which must be on the same time line as the samples' timestamps.
 *
 * <p>Each evaluation has two steps. First, per operator, {@link OperatorSizing} proposes an instance count from the
 * metrics averaged over the metric window. Then the job-level step decides what happens to the proposal:
 *
 * <ol>
 *   <li>an operator whose window lacks metrics is held with {@code MetricsMissing}; one not yet observed for a
 *       whole window at its current count, with {@code MetricWindowIncomplete};
 *   <li>a scale-up is taken at once; a scale-down only after fewer instances have been proposed in every
 *       evaluation for {@code scaleDownDelay}, and then to the highest count proposed in that time
 *       ({@code ScaleDownDelayed} until then);
 *   <li>a change is limited to {@code maxStep} instances;
 *   <li>changes are vetoed while the sample reports a reconfiguration in flight
 *       ({@code ReconfigurationInProgress}) and for {@code stabilization} after the last change
 *       ({@code Stabilizing}), whether the change was decided here or seen in the samples.
 * </ol>
 *
 * <p>An instance count outside the operator's [min, max] is moved to the nearest bound regardless of metrics,
 * stabilisation and delay (reason {@code OutsideBounds}); only a reconfiguration in flight holds it back.
 *
 * <p>Not thread-safe: one caller at a time (the runtime's sampling loop, or the operator's reconciler).
 */
public final class JobAutoscaler {

    private final AutoscalerConfig config;
    private final InstantSource clock;
    private final OperatorSizing sizing;
    private final ScalingMode mode;
    private final Duration window;
    private final Duration stabilization;
    private final Duration scaleDownDelay;
    private final int maxStep;
    private final int growthSamples;

    private final Map<String, MetricWindow> windows = new LinkedHashMap<>();
    private final Map<String, PendingScaleDown> pendingScaleDowns = new HashMap<>();
    private Instant latestSampleAt;
    private boolean reconfiguring;
    private Instant lastChange;

    /** A scale-down proposed in every evaluation since {@code since}; {@code highest} is the largest proposal. */
    private static final class PendingScaleDown {
        final Instant since;
        int highest;

        PendingScaleDown(Instant since, int proposed) {
            this.since = since;
            this.highest = proposed;
        }
    }

    public JobAutoscaler(AutoscalerConfig config, InstantSource clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sizing = new OperatorSizing(config);
        this.mode = config.get(AutoscalerOptions.MODE);
        this.window = config.get(AutoscalerOptions.METRIC_WINDOW);
        this.stabilization = config.get(AutoscalerOptions.STABILIZATION);
        this.scaleDownDelay = config.get(AutoscalerOptions.SCALE_DOWN_DELAY);
        this.maxStep = config.get(AutoscalerOptions.MAX_STEP);
        this.growthSamples = config.get(AutoscalerOptions.BACKLOG_GROWTH_SAMPLES);
    }

    /** The configuration this autoscaler runs with. */
    public AutoscalerConfig config() {
        return config;
    }

    /**
     * Records a sample. A change of an operator's instance count since its previous sample restarts that
     * operator's metric window and starts a stabilisation period, whoever made the change.
     *
     * @throws IllegalArgumentException when the sample is older than the previous one
     */
    public void observe(MetricSample sample) {
        if (latestSampleAt != null && sample.at().isBefore(latestSampleAt)) {
            throw new IllegalArgumentException(
                    "sample at " + sample.at() + " is older than the previous one at " + latestSampleAt);
        }
        Set<String> present = new HashSet<>();
        for (OperatorSample o : sample.operators()) {
            present.add(o.operator());
            MetricWindow w = windows.computeIfAbsent(o.operator(), k -> new MetricWindow());
            if (w.add(sample.at(), o, window)) {
                lastChange = later(lastChange, sample.at());
                pendingScaleDowns.remove(o.operator());
            }
        }
        for (Map.Entry<String, MetricWindow> e : windows.entrySet()) {
            if (!present.contains(e.getKey())) {
                e.getValue().addAbsence(sample.at(), window);
            }
        }
        latestSampleAt = sample.at();
        reconfiguring = sample.reconfiguring();
    }

    /**
     * Forgets every operator's metric window (and pending scale-downs): the next decisions wait for a full window
     * of new samples. For a caller that changed what the metrics depend on without changing instance counts, such
     * as the CPU of the pods, so that the next step is taken on what is measured after the change.
     */
    public void restartWindows() {
        windows.clear();
        pendingScaleDowns.clear();
    }

    /**
     * Decides, at the clock's current instant, for every operator seen so far. In mode Auto, a report with changes
     * is assumed to be applied: the stabilisation period starts now.
     */
    public ScalingReport evaluate() {
        return evaluate(true);
    }

    /**
     * Like {@link #evaluate()}, but assumes nothing is applied: stabilisation starts only when the caller reports
     * a change with {@link #changeApplied(Instant)} (or one shows in the samples). For a caller that may still
     * veto or delay the report's changes, such as the cluster policy.
     */
    public ScalingReport evaluateWithoutApplying() {
        return evaluate(false);
    }

    /** The caller carried out a change at {@code at}: stabilisation starts then. */
    public void changeApplied(Instant at) {
        lastChange = later(lastChange, at);
        pendingScaleDowns.clear();
    }

    private ScalingReport evaluate(boolean assumeApplied) {
        Instant now = clock.instant();
        List<ScalingDecision> decisions = new ArrayList<>(windows.size());
        for (Map.Entry<String, MetricWindow> e : windows.entrySet()) {
            decisions.add(decide(now, e.getKey(), e.getValue()));
        }
        boolean apply = mode == ScalingMode.AUTO && decisions.stream().anyMatch(ScalingDecision::isChange);
        if (apply && assumeApplied) {
            lastChange = later(lastChange, now);
            for (ScalingDecision d : decisions) {
                if (d.isChange()) {
                    pendingScaleDowns.remove(d.operator());
                }
            }
        }
        return new ScalingReport(now, mode, decisions, apply);
    }

    private ScalingDecision decide(Instant now, String op, MetricWindow w) {
        OperatorSample last = w.lastSeen();
        int n = last.instances();
        int min = last.minInstances();
        int max = last.maxInstances();
        if (mode == ScalingMode.OFF) {
            return hold(op, n, n, ScalingReason.SCALING_DISABLED, AutoscalerOptions.MODE.key() + " is Off",
                    EvaluatedMetrics.none(n));
        }
        if (n == 0) {
            pendingScaleDowns.remove(op);
            return hold(op, n, n, ScalingReason.METRICS_MISSING, "no running instances reported",
                    EvaluatedMetrics.none(n));
        }
        if (n < min || n > max) {
            pendingScaleDowns.remove(op);
            int target = OperatorSizing.clamp(n, min, max);
            return vetoes(now, new ScalingDecision(op, n, target, target, ScalingReason.OUTSIDE_BOUNDS,
                    n + " instances outside [" + min + ", " + max + "]", EvaluatedMetrics.none(n)), false);
        }
        MetricWindow.Evaluation ev = w.evaluate(now, window, growthSamples);
        if (ev instanceof MetricWindow.Missing m) {
            pendingScaleDowns.remove(op);
            return hold(op, n, n, ScalingReason.METRICS_MISSING, m.reason(), EvaluatedMetrics.none(n));
        }
        if (ev instanceof MetricWindow.Incomplete i) {
            pendingScaleDowns.remove(op);
            return hold(op, n, n, ScalingReason.METRIC_WINDOW_INCOMPLETE,
                    "observed with " + n + " instances since " + i.observedSince() + "; window full at "
                            + i.fullAt(), EvaluatedMetrics.none(n));
        }
        EvaluatedMetrics metrics = ((MetricWindow.Complete) ev).metrics();
        SizingProposal p = sizing.propose(metrics, min, max);
        int recommended;
        ScalingReason reason;
        String message = p.message();
        if (p.recommended() < n) {
            PendingScaleDown pd = pendingScaleDowns.computeIfAbsent(op,
                    k -> new PendingScaleDown(now, p.recommended()));
            pd.highest = Math.max(pd.highest, p.recommended());
            Instant due = pd.since.plus(scaleDownDelay);
            if (now.isBefore(due)) {
                return new ScalingDecision(op, n, p.recommended(), n, ScalingReason.SCALE_DOWN_DELAYED,
                        message + "; fewer instances recommended since " + pd.since + ", not before " + due,
                        metrics);
            }
            recommended = pd.highest;
            reason = ScalingReason.SCALE_DOWN;
            message += "; recommended continuously since " + pd.since + ", taking the highest recommendation "
                    + "since then: " + pd.highest;
        } else {
            pendingScaleDowns.remove(op);
            recommended = p.recommended();
            reason = p.reason();
        }
        if (recommended == n) {
            return new ScalingDecision(op, n, n, n, reason, message, metrics);
        }
        int target = recommended;
        if (maxStep > 0 && Math.abs(target - n) > maxStep) {
            target = n + Integer.signum(target - n) * maxStep;
            message += "; limited to " + target + " by " + AutoscalerOptions.MAX_STEP.key() + "=" + maxStep;
        }
        return vetoes(now, new ScalingDecision(op, n, recommended, target, reason, message, metrics), true);
    }

    /** Applies the job-level vetoes to a decision that changes the instance count. */
    private ScalingDecision vetoes(Instant now, ScalingDecision d, boolean stabilize) {
        if (reconfiguring) {
            return veto(d, ScalingReason.RECONFIGURATION_IN_PROGRESS, "a reconfiguration is in progress");
        }
        if (stabilize && lastChange != null && now.isBefore(lastChange.plus(stabilization))) {
            return veto(d, ScalingReason.STABILIZING,
                    "last change at " + lastChange + ", stable from " + lastChange.plus(stabilization));
        }
        return d;
    }

    private static ScalingDecision veto(ScalingDecision d, ScalingReason reason, String why) {
        return new ScalingDecision(d.operator(), d.current(), d.recommended(), d.current(), reason,
                why + "; held back: " + d.reason().code() + " to " + d.target() + " (" + d.message() + ")",
                d.metrics());
    }

    private static ScalingDecision hold(String op, int n, int recommended, ScalingReason reason, String message,
            EvaluatedMetrics metrics) {
        return new ScalingDecision(op, n, recommended, n, reason, message, metrics);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
