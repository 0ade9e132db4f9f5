package dev.stretch.autoscaler;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One evaluation of a job running in pods ({@link ClusterAutoscaler#evaluate(PodLayout)}): what to change now, if
 * anything, and why.
 *
 * @param at when it was decided
 * @param mode the mode it was decided in
 * @param step the one step to carry out now (threads, pod CPU or pod count), or null when nothing changes
 * @param apply whether the caller should carry out {@code step} (mode Auto, nothing vetoed)
 * @param reason stable CamelCase code, see {@link Reason}
 * @param message the reason with the numbers behind it
 * @param plan the whole plan from the current layout (later steps are taken after new measurements)
 * @param threads the per-operator thread decisions the plan was made from
 * @param limited whether even the largest layout allowed cannot feed the threads needed
 */
public record ClusterDecision(Instant at, ScalingMode mode, PlanStep step, boolean apply, Reason reason,
        String message, ScalingPlan plan, ScalingReport threads, boolean limited) {

    /** Why a decision is what it is. Codes are stable: Events and status carry them. */
    public enum Reason {
        /** More threads inside the pods. */
        ADD_THREADS("AddThreads"),
        /** Fewer threads inside the pods. */
        REMOVE_THREADS("RemoveThreads"),
        /** More CPU for each pod, in place. */
        RAISE_POD_CPU("RaisePodCpu"),
        /** Less CPU for each pod, in place. */
        LOWER_POD_CPU("LowerPodCpu"),
        /** More pods. */
        ADD_PODS("AddPods"),
        /** Fewer pods. */
        REMOVE_PODS("RemovePods"),
        /** The layout fits the load. */
        NO_CHANGE("NoChange"),
        /** A change of the pod count is wanted but has not been wanted for long enough yet. */
        POD_CHANGE_DELAYED("PodChangeDelayed"),
        /** A scale-down is wanted while a backlog is still being worked off. */
        CATCHING_UP("CatchingUp"),
        /** Inside an excluded period: decisions are reported, not made. */
        EXCLUDED_PERIOD("ExcludedPeriod"),
        /** The thread decisions hold (metrics missing, window incomplete, stabilising...): see the message. */
        HOLD("Hold"),
        /** Mode Off. */
        SCALING_DISABLED("ScalingDisabled");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** The reason for carrying out {@code step}. */
        static Reason of(PlanStep step, PodLayout before) {
            PodLayout after = step.after();
            return switch (step.level()) {
                case THREADS -> after.threadsInPod() >= before.threadsInPod() ? ADD_THREADS : REMOVE_THREADS;
                case POD_CPU -> after.cpuCores() > before.cpuCores() ? RAISE_POD_CPU : LOWER_POD_CPU;
                case POD_COUNT -> after.pods() > before.pods() ? ADD_PODS : REMOVE_PODS;
            };
        }

        @Override
        public String toString() {
            return code;
        }
    }

    public ClusterDecision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** Whether this decision changes something (applied or only recommended). */
    public boolean isChange() {
        return step != null;
    }

    /** One line for Events and logs. */
    public String summary() {
        String what = step == null ? "no change" : String.format(Locale.ROOT, "%s -> %s",
                plan.current(), step.after());
        return reason.code() + (apply || step == null ? "" : " (recommended)") + ": " + what + "; " + message;
    }
}
