package dev.stretch.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The autoscaling policy of a job running in pods, for the Kubernetes operator: threads per operator inside each
 * pod first, then the pods' CPU in place, then more pods; the reverse to scale in. Pure: samples and the current
 * layout in, a {@link ClusterDecision} out; time from an injected {@link InstantSource}.
 *
 * <ol>
 *   <li><b>Threads needed</b>: the {@link JobAutoscaler} (DS2-style sizing per operator, utilisation band, short
 *       metric window, stabilisation, scale-down delay) turns job-wide samples into a total thread count per
 *       operator. A scale-down is limited to {@code maxScaleDownFactor} of the current count, and none is made
 *       while the operator still works off a backlog ({@code CatchingUp}).</li>
 *   <li><b>Layout</b>: the {@link ResourcePlanner} turns the totals into steps: threads up to what the pods' CPU
 *       feeds, in-place CPU, pods (released in the reverse order).</li>
 *   <li><b>One step at a time</b>: only the plan's first step is returned. After a CPU or pod step the metric
 *       windows restart, so the next step is decided on what the new size is measured to do, not on what it was
 *       assumed to do.</li>
 *   <li><b>Hysteresis for pods</b>: a pod-count step must be wanted in every evaluation for {@code podScaleUpDelay}
 *       (adding) or {@code podScaleDownDelay} (removing) before it is taken ({@code PodChangeDelayed}); pods are
 *       slow to start and move partitions, threads are not.</li>
 *   <li><b>Vetoes</b>: an excluded period holds everything ({@code ExcludedPeriod}); mode Recommend reports the
 *       step without applying it; mode Off decides nothing.</li>
 * </ol>
 *
 * <p>When the cluster refuses to resize a pod in place (or leaves the resize Deferred or Infeasible), the caller
 * reports it with {@link #cpuResizeRefused(String)}: from then on CPU is fixed where it is and the plan goes to
 * pods, saying so in its message.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public final class ClusterAutoscaler {

    /**
     * The cluster-level settings.
     *
     * @param podScaleUpDelay how long adding pods must be wanted before it is done
     * @param podScaleDownDelay how long removing pods must be wanted before it is done
     * @param maxScaleDownFactor largest fraction of an operator's threads removed in one decision, in (0, 1]
     * @param backlogNoise backlog (tuples) below which an operator is not catching up
     * @param excludedPeriods periods in which nothing is changed
     */
    public record Settings(Duration podScaleUpDelay, Duration podScaleDownDelay, double maxScaleDownFactor,
            double backlogNoise, List<ExcludedPeriod> excludedPeriods) {
        public Settings {
            Objects.requireNonNull(podScaleUpDelay, "podScaleUpDelay");
            Objects.requireNonNull(podScaleDownDelay, "podScaleDownDelay");
            if (!(maxScaleDownFactor > 0 && maxScaleDownFactor <= 1)) {
                throw new IllegalArgumentException("maxScaleDownFactor must be in (0, 1], was " + maxScaleDownFactor);
            }
            excludedPeriods = List.copyOf(excludedPeriods);
        }

        /** Defaults: pods added after 30 s of demand, removed after 5 min, at most half the threads per step. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofMinutes(5), 0.5, 4096, List.of());
        }
    }

    private final JobAutoscaler threads;
    private final Settings settings;
    private final InstantSource clock;
    private PodLimits limits;
    private String cpuRefusal;
    /** Since when the pod count this plan's first step moves to has been wanted, and which count. */
    private Instant podChangeWantedSince;
    private int podChangeWanted = -1;

    public ClusterAutoscaler(AutoscalerConfig config, PodLimits limits, Settings settings, InstantSource clock) {
        this.threads = new JobAutoscaler(config, clock);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The limits plans are made within (CPU fixed after a refused resize). */
    public PodLimits limits() {
        return limits;
    }

    /** Why CPU is no longer resized, or null while it is. */
    public String cpuRefusal() {
        return cpuRefusal;
    }

    /** Records a job-wide sample: per operator, threads summed over pods, rates summed, busy ratio averaged. */
    public void observe(MetricSample sample) {
        threads.observe(sample);
    }

    /**
     * The cluster refused an in-place CPU resize, or left it Deferred/Infeasible: plan without resizing from now
     * on (CPU stays where it is), so that the next step up is more pods.
     */
    public void cpuResizeRefused(String why) {
        if (limits.inPlaceCpuResize()) {
            limits = limits.withoutCpuResize();
        }
        cpuRefusal = why;
    }

    /** A step was carried out: the next one waits for a full window of metrics measured after it. */
    public void stepApplied(PlanStep step) {
        threads.changeApplied(clock.instant());
        if (step.level() != ScalingLevel.THREADS) {
            threads.restartWindows();
        }
        podChangeWantedSince = null;
        podChangeWanted = -1;
    }

    /** Decides, at the clock's current instant, what to change in {@code current}. */
    public ClusterDecision evaluate(PodLayout current) {
        return evaluate(current, 0);
    }

    /**
     * Decides what to change in {@code current}, a layout of the job's pods other than {@code heldPods} pods whose
     * size the policy leaves alone (threads held by hand): the samples cover those pods only, and the pod range
     * shrinks by {@code heldPods} at both ends.
     */
    public ClusterDecision evaluate(PodLayout current, int heldPods) {
        PodLimits limits = this.limits.withoutPods(heldPods);
        Instant now = clock.instant();
        ScalingReport report = threads.evaluateWithoutApplying();
        ScalingMode mode = report.mode();
        ScalingPlan none = new ScalingPlan(current, current, List.of(), false, "no change");
        if (mode == ScalingMode.OFF) {
            return new ClusterDecision(now, mode, null, false, ClusterDecision.Reason.SCALING_DISABLED,
                    AutoscalerOptions.MODE.key() + " is Off", none, report, false);
        }
        Map<String, Integer> totals = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        boolean catchingUp = false;
        for (ScalingDecision d : report.decisions()) {
            int target = d.target();
            if (target < d.current()) {
                int floor = (int) Math.ceil(d.current() * (1 - settings.maxScaleDownFactor()) - 1e-9);
                if (target < floor) {
                    notes.add(f("%s: down to %d, not %d (maxScaleDownFactor %.2f)", d.operator(), floor, target,
                            settings.maxScaleDownFactor()));
                    target = Math.max(1, floor);
                }
                double backlog = d.metrics().backlog();
                if (Double.isFinite(backlog) && backlog > settings.backlogNoise()) {
                    notes.add(f("%s: %.0f tuples of backlog still being worked off", d.operator(), backlog));
                    target = d.current();
                    catchingUp = true;
                }
            }
            if (current.threadsPerPod().containsKey(d.operator()) && d.current() > 0) {
                totals.put(d.operator(), Math.max(1, target));
            }
        }
        String threadSummary = summary(report);
        ScalingPlan plan = new ResourcePlanner(limits).plan(current, totals);
        boolean fewerThreads = totals.entrySet().stream()
                .anyMatch(e -> e.getValue() < current.totalThreads(e.getKey()));
        if (plan.isChange() && !fewerThreads && shrinks(plan.steps().get(0), current)) {
            // releasing CPU or pods follows a decided scale-down (after its delay), never a mere hold: a layout
            // larger than the threads need is left alone until the load says it is too large
            plan = new ScalingPlan(current, current, List.of(), false, "no scale-down decided: " + plan.message());
        }
        String refusal = cpuRefusal == null ? "" : "; CPU is not resized in place (" + cpuRefusal + ")";
        if (!plan.isChange()) {
            podChangeWantedSince = null;
            podChangeWanted = -1;
            ClusterDecision.Reason reason = catchingUp ? ClusterDecision.Reason.CATCHING_UP
                    : report.decisions().stream().anyMatch(ScalingDecision::isVetoed) ? ClusterDecision.Reason.HOLD
                    : ClusterDecision.Reason.NO_CHANGE;
            return new ClusterDecision(now, mode, null, false, reason, join(threadSummary, notes) + refusal, plan,
                    report, plan.limited());
        }
        PlanStep step = plan.steps().get(0);
        ClusterDecision.Reason reason = ClusterDecision.Reason.of(step, current);
        String message = plan.message() + "; threads: " + join(threadSummary, notes) + refusal;
        if (step.level() == ScalingLevel.POD_COUNT) {
            int pods = step.after().pods();
            if (podChangeWanted != pods) {
                podChangeWanted = pods;
                podChangeWantedSince = now;
            }
            Duration delay = pods > current.pods() ? settings.podScaleUpDelay() : settings.podScaleDownDelay();
            Instant due = podChangeWantedSince.plus(delay);
            if (now.isBefore(due)) {
                return new ClusterDecision(now, mode, step, false, ClusterDecision.Reason.POD_CHANGE_DELAYED,
                        f("%s: %d -> %d pods wanted since %s, not before %s; %s", reason.code(), current.pods(),
                                pods, podChangeWantedSince, due, message), plan, report, plan.limited());
            }
        } else {
            podChangeWantedSince = null;
            podChangeWanted = -1;
        }
        for (ExcludedPeriod p : settings.excludedPeriods()) {
            if (p.contains(now)) {
                return new ClusterDecision(now, mode, step, false, ClusterDecision.Reason.EXCLUDED_PERIOD,
                        f("inside excluded period %s: %s held back; %s", p, reason.code(), message), plan, report,
                        plan.limited());
            }
        }
        return new ClusterDecision(now, mode, step, mode == ScalingMode.AUTO, reason, message, plan, report,
                plan.limited());
    }

    private static boolean shrinks(PlanStep step, PodLayout before) {
        PodLayout after = step.after();
        return after.pods() < before.pods() || after.cpuCores() < before.cpuCores()
                || after.threadsInPod() < before.threadsInPod();
    }

    private static String summary(ScalingReport report) {
        List<String> parts = new ArrayList<>();
        for (ScalingDecision d : report.decisions()) {
            parts.add(f("%s %d -> %d (%s: %s)", d.operator(), d.current(), d.target(), d.reason().code(),
                    d.message()));
        }
        return parts.isEmpty() ? "no operator measured yet" : String.join("; ", parts);
    }

    private static String join(String summary, List<String> notes) {
        return notes.isEmpty() ? summary : summary + "; " + String.join("; ", notes);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
