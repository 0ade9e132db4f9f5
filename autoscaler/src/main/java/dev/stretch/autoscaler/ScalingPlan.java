package dev.stretch.autoscaler;

import java.util.List;

/**
 * What the {@link ResourcePlanner} proposes: the steps, in order, from the current layout to the target one.
 * Growing plans reach for threads, then pod CPU, then pods; shrinking plans release pods, then pod CPU, then
 * threads. No steps means the current layout fits.
 *
 * @param current the layout planned from
 * @param target the layout after the last step (the current one when there are no steps)
 * @param steps the steps, in the order to carry them out
 * @param limited whether even the target cannot feed the required threads (pods and CPU at their maximum)
 * @param message how the plan was reached, with the numbers used
 */
public record ScalingPlan(PodLayout current, PodLayout target, List<PlanStep> steps, boolean limited,
        String message) {

    public ScalingPlan {
        steps = List.copyOf(steps);
    }

    /** Whether the plan changes anything. */
    public boolean isChange() {
        return !steps.isEmpty();
    }
}
