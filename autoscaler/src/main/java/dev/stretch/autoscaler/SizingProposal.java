package dev.stretch.autoscaler;

/**
 * What {@link OperatorSizing} proposes for one operator, before the job-level step (stabilisation, scale-down
 * delay, maximum step, vetoes) has had its say.
 *
 * @param current the instance count the metrics were measured with
 * @param recommended the proposed count, within [min, max]
 * @param requiredInstances the unrounded, unclamped number of instances the formula asked for; NaN when the
 *     formula was not applied (utilisation inside the band) and 0 for an idle operator
 * @param reason one of {@code ScaleUp}, {@code ScaleDown}, {@code WithinBand}, {@code NoChange},
 *     {@code AtMaxInstances}, {@code AtMinInstances}
 * @param message how the proposal was reached, with the numbers used
 */
public record SizingProposal(int current, int recommended, double requiredInstances, ScalingReason reason,
        String message) {
}
