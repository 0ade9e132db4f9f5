package dev.stretch.autoscaler;

import java.util.Objects;

/**
 * The autoscaler's verdict on one operator in one evaluation, with the evidence behind it.
 *
 * @param operator operator name
 * @param current instance count when the decision was made
 * @param recommended the count the policy arrived at before the maximum step and the vetoes were applied (for
 *     a delayed scale-down: the count proposed in this evaluation); equal to {@code current} when there was
 *     nothing to recommend
 * @param target the count to set; equal to {@code current} when nothing is to change
 * @param reason why {@code target} is what it is
 * @param message the reason in words, with the numbers used
 * @param metrics the evaluated metrics behind the decision; {@link EvaluatedMetrics#none(int)} when there was no
 *     evaluation
 */
public record ScalingDecision(String operator, int current, int recommended, int target, ScalingReason reason,
        String message, EvaluatedMetrics metrics) {

    public ScalingDecision {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** Whether the target differs from the current count. */
    public boolean isChange() {
        return target != current;
    }

    /** Whether instances are to be added. */
    public boolean isScaleUp() {
        return target > current;
    }

    /** Whether instances are to be removed. */
    public boolean isScaleDown() {
        return target < current;
    }

    /** Whether a veto held back a recommended change. */
    public boolean isVetoed() {
        return reason.isVeto() && recommended != current;
    }

    @Override
    public String toString() {
        return operator + ": " + current + " -> " + target + " " + reason.code() + " (" + message + "; " + metrics
                + ")";
    }
}
