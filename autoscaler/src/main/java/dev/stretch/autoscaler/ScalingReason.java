package dev.stretch.autoscaler;

/**
 * Why a {@link ScalingDecision} has the target it has. Each reason has a stable CamelCase {@link #code()} for
 * events, logs and metrics labels; codes are never renamed, only added.
 */
public enum ScalingReason {

    /** Utilisation above the band, or backlog growing: more instances. */
    SCALE_UP("ScaleUp", false),
    /** Utilisation below the band, recommended for the whole scale-down delay: fewer instances. */
    SCALE_DOWN("ScaleDown", false),
    /** Utilisation inside the band and backlog not growing: nothing to do. */
    WITHIN_BAND("WithinBand", false),
    /** Outside the band or backlog growing, but the sizing formula gives the current count. */
    NO_CHANGE("NoChange", false),
    /** More instances were needed, but the operator is at its maximum. */
    AT_MAX_INSTANCES("AtMaxInstances", false),
    /** Fewer instances were possible, but the operator is at its minimum. */
    AT_MIN_INSTANCES("AtMinInstances", false),
    /** The current count lies outside [min, max] (the bounds changed): move to the nearest bound. */
    OUTSIDE_BOUNDS("OutsideBounds", false),
    /** Fewer instances are recommended, but not yet for the whole scale-down delay. */
    SCALE_DOWN_DELAYED("ScaleDownDelayed", false),

    /** Veto: a change happened less than the stabilisation period ago. */
    STABILIZING("Stabilizing", true),
    /** Veto: the sample says a reconfiguration is still being carried out. */
    RECONFIGURATION_IN_PROGRESS("ReconfigurationInProgress", true),
    /** Veto: a sample in the metric window lacks metrics for the operator, or there is no recent sample. */
    METRICS_MISSING("MetricsMissing", true),
    /** Veto: the operator has not been observed with its current count for a whole metric window yet. */
    METRIC_WINDOW_INCOMPLETE("MetricWindowIncomplete", true),
    /** Veto: the mode is Off. */
    SCALING_DISABLED("ScalingDisabled", true);

    private final String code;
    private final boolean veto;

    ScalingReason(String code, boolean veto) {
        this.code = code;
        this.veto = veto;
    }

    /** The stable CamelCase code, e.g. {@code ScaleUp}. */
    public String code() {
        return code;
    }

    /** Whether this reason means a change was (or could have been) blocked rather than judged unnecessary. */
    public boolean isVeto() {
        return veto;
    }

    @Override
    public String toString() {
        return code;
    }
}
