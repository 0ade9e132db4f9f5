package dev.stretch.autoscaler;

import java.util.Locale;

/**
 * Per-operator sizing, in the style of DS2: from the metrics of one operator over the metric window, the number
 * of instances that would process its load at the target utilisation. Pure and stateless; the job-level step in
 * {@link JobAutoscaler} decides whether the proposal is carried out.
 *
 * <p>The formula, with {@code u} the mean busy ratio:
 *
 * <pre>
 *   true rate per instance = processed rate / instances / u          (what one instance does when always busy)
 *   required rate          = input rate + backlog / catchUpTime
 *   required instances     = ceil(required rate / (true rate per instance * targetUtilization))
 * </pre>
 *
 * <p>It is applied only when {@code u} lies outside the band {@code [utilizationBand.low, utilizationBand.high]}
 * or the backlog (or lag) keeps growing; inside the band nothing changes, which is what keeps a noisy load from
 * flapping. The direction is fixed by the trigger: above the band or with a growing backlog the proposal never
 * goes down, below the band it never goes up. Scaling up uses the higher of the mean and the latest input rate
 * (adding threads costs milliseconds, lagging behind a load step costs latency); scaling down uses the mean.
 *
 * <p><b>Backpressure.</b> An operator that holds back its writers (input backpressure of at least
 * {@link EvaluatedMetrics#BACKPRESSURED}) while busy at least at the target utilisation is overloaded even inside
 * the band (below the target, held-back writers are a bursty source waiting for room, measured at moderate load;
 * such an operator is then only never scaled down): its bounded input queue keeps
 * the backlog flat, and busy time of threads sharing too few cores, or waiting between bursts of a held-back
 * writer, reads well below 1. As in DS2, the rate offered to it is then more than it processes, by how much is
 * not observable while the writers wait; with {@code b} the back-pressured fraction of their time the writers would
 * produce {@code 1 / (1 - b)} times as fast, which is taken as the demand, at most {@link #MAX_BACKPRESSURE_GROWTH}
 * times the processed rate per decision (a writer held back all the time would give an infinite estimate): the next
 * decision measures again and goes further if the writers are still held back.
 *
 * <p>An idle operator ({@code u} below {@link EvaluatedMetrics#IDLE_BUSY_RATIO}) has no measurable per-instance
 * rate; it is proposed its minimum, unless its backlog grows, which more threads of an idle operator cannot cure.
 *
 * <p>The model assumes an instance's rate does not depend on how many instances there are. Under VSN every
 * instance reads every tuple, so the per-instance rate of a cheap operator falls as instances are added; the
 * estimate is then optimistic and converges over several decisions.
 */
public final class OperatorSizing {

    /** Most the demand of a back-pressuring operator is taken above its processed rate, per decision. */
    public static final double MAX_BACKPRESSURE_GROWTH = 2.0;

    private final double target;
    private final double low;
    private final double high;
    private final double catchUpSeconds;

    public OperatorSizing(AutoscalerConfig config) {
        this.target = config.get(AutoscalerOptions.TARGET_UTILIZATION);
        this.low = config.get(AutoscalerOptions.UTILIZATION_LOW);
        this.high = config.get(AutoscalerOptions.UTILIZATION_HIGH);
        this.catchUpSeconds = config.get(AutoscalerOptions.CATCH_UP_TIME).toMillis() / 1000.0;
    }

    /**
     * Proposes an instance count for an operator.
     *
     * @param m the operator's evaluated metrics; must be {@linkplain EvaluatedMetrics#isEvaluated() evaluated}
     * @param minInstances lowest allowed count
     * @param maxInstances highest allowed count
     * @return the proposal, its recommendation within [min, max]
     */
    public SizingProposal propose(EvaluatedMetrics m, int minInstances, int maxInstances) {
        if (!m.isEvaluated()) {
            throw new IllegalArgumentException("metrics were not evaluated");
        }
        if (minInstances < 1 || maxInstances < minInstances) {
            throw new IllegalArgumentException("bounds [" + minInstances + ", " + maxInstances + "]");
        }
        int n = m.instances();
        double u = m.busyRatio();
        boolean above = u > high;
        boolean below = u < low;
        boolean growing = m.backlogGrowing();
        // held-back writers mean overload only while the operator works at least at its target: a paced source
        // that emits in bursts waits for room in the bounded input at moderate load too
        boolean held = m.isBackpressuring();
        boolean pressing = held && u >= target;
        if (!above && !below && !growing && !pressing) {
            return new SizingProposal(n, clamp(n, minInstances, maxInstances), Double.NaN,
                    ScalingReason.WITHIN_BAND,
                    f("busy %.2f inside [%.2f, %.2f] and backlog not growing", u, low, high)
                            + (held ? f("; writers held back %.0f%% of the time, but busy below the target %.2f "
                                    + "(bursts, not overload)", m.inputBackpressure() * 100, target) : ""));
        }
        if (below && held && !growing) {
            return new SizingProposal(n, clamp(n, minInstances, maxInstances), Double.NaN, ScalingReason.NO_CHANGE,
                    f("busy %.2f below %.2f, but not scaled down while its writers are held back %.0f%% of the time",
                            u, low, m.inputBackpressure() * 100));
        }
        boolean up = above || growing || pressing;
        String trigger = above ? f("busy %.2f above %.2f", u, high)
                : pressing ? f("input back-pressured %.0f%% of the time at busy %.2f (writers held back: more is "
                        + "offered than processed)", m.inputBackpressure() * 100, u)
                : growing ? f("backlog %.0f / lag %.0f ms growing", m.backlog(), m.eventTimeLagMillis())
                        + (below ? f(" although busy is only %.2f (key skew or a slow downstream operator?)", u)
                                : "")
                : f("busy %.2f below %.2f", u, low);
        if (above && pressing) {
            trigger += f(", input back-pressured %.0f%% of the time", m.inputBackpressure() * 100);
        }
        if (m.isIdle()) {
            if (up) {
                return new SizingProposal(n, clamp(n, minInstances, maxInstances), Double.NaN,
                        ScalingReason.NO_CHANGE,
                        trigger + f(" while busy only %.3f: not a lack of threads (blocked or starved?)", u));
            }
            return decide(n, minInstances, maxInstances, minInstances, 0,
                    trigger + f(": idle (busy %.3f < %.2f), one instance is plenty", u,
                            EvaluatedMetrics.IDLE_BUSY_RATIO));
        }
        double demand = up ? Math.max(m.inputRate(), m.latestInputRate()) : m.inputRate();
        String offered = up ? "peak" : "mean";
        if (pressing) {
            // DS2: the offered rate is hidden while the writers wait; 1 / (1 - b) of what got through, bounded
            double growth = Math.min(MAX_BACKPRESSURE_GROWTH, 1 / Math.max(1e-9, 1 - m.inputBackpressure()));
            double offeredRate = m.processedRate() * growth;
            if (offeredRate > demand) {
                demand = offeredRate;
                offered = f("offered (processed %.1f/s x %.2f for the back-pressure)", m.processedRate(), growth);
            }
        }
        double required = demand + m.backlog() / catchUpSeconds;
        double perInstance = m.trueRatePerInstance() * target;
        double need = required / perInstance;
        int rounded = (int) Math.min(Integer.MAX_VALUE, Math.ceil(need - 1e-9));
        int wanted = up ? Math.max(n, rounded) : Math.min(n, Math.max(1, rounded));
        String how = f("%s; sized for %.1f/s (%s input %.1f/s + backlog %.0f / %.0fs) at %.1f/s per instance "
                + "(%.1f/s x target %.2f): %.2f instances", trigger, required, offered, demand,
                m.backlog(), catchUpSeconds, perInstance, m.trueRatePerInstance(), target, need);
        return decide(n, minInstances, maxInstances, wanted, need, how);
    }

    private static SizingProposal decide(int n, int min, int max, int wanted, double need, String how) {
        int rec = clamp(wanted, min, max);
        ScalingReason reason;
        if (rec > n) {
            reason = ScalingReason.SCALE_UP;
        } else if (rec < n) {
            reason = ScalingReason.SCALE_DOWN;
        } else if (wanted > max) {
            reason = ScalingReason.AT_MAX_INSTANCES;
        } else if (wanted < min) {
            reason = ScalingReason.AT_MIN_INSTANCES;
        } else {
            reason = ScalingReason.NO_CHANGE;
        }
        String bound = wanted > max ? f(", clamped to max %d", max) : wanted < min ? f(", clamped to min %d", min) : "";
        return new SizingProposal(n, rec, need, reason, how + " -> " + wanted + bound);
    }

    static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
