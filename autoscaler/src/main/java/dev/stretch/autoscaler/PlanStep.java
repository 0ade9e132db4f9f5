package dev.stretch.autoscaler;

/**
 * One step of a {@link ScalingPlan}: the resource it changes and the whole layout after it. A step may also
 * change threads, so that every layout of a plan runs no more threads per pod than its CPU feeds; a realiser
 * lowering CPU therefore lowers threads first, and one raising CPU raises threads after.
 *
 * @param level the resource the step changes
 * @param after the layout once the step is done
 */
public record PlanStep(ScalingLevel level, PodLayout after) {
}
