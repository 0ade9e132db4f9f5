package dev.stretch.autoscaler;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one {@link JobAutoscaler#evaluate()}: a decision per known operator and whether the caller should
 * apply the changes. The caller applies {@link #targets()} when {@link #shouldApply()} is true and publishes
 * {@link #outcome()} and {@link #message()} as an event.
 *
 * @param at evaluation time
 * @param mode the mode the evaluation ran in
 * @param decisions one per operator, in the order operators were first sampled
 * @param shouldApply whether the changes are to be carried out: mode Auto and at least one change
 */
public record ScalingReport(Instant at, ScalingMode mode, List<ScalingDecision> decisions, boolean shouldApply) {

    /** The overall outcome, with a stable CamelCase code for events. */
    public enum Outcome {
        /** Changes to apply. */
        SCALING("Scaling"),
        /** Changes recommended in mode Recommend, not to be applied. */
        RECOMMENDATION("ScalingRecommended"),
        /** No change, because vetoes held back at least one recommended change. */
        VETOED("ScalingVetoed"),
        /** No change was needed. */
        NO_SCALING("NoScaling");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        /** The stable CamelCase code. */
        public String code() {
            return code;
        }

        @Override
        public String toString() {
            return code;
        }
    }

    public ScalingReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(mode, "mode");
        decisions = List.copyOf(decisions);
    }

    /** Target instance counts of the operators whose count is to change, in decision order. */
    public Map<String, Integer> targets() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ScalingDecision d : decisions) {
            if (d.isChange()) {
                out.put(d.operator(), d.target());
            }
        }
        return out;
    }

    /** Whether any decision changes an instance count. */
    public boolean hasChanges() {
        return decisions.stream().anyMatch(ScalingDecision::isChange);
    }

    /** The decision for one operator. */
    public Optional<ScalingDecision> decision(String operator) {
        return decisions.stream().filter(d -> d.operator().equals(operator)).findFirst();
    }

    /** The overall outcome. */
    public Outcome outcome() {
        if (shouldApply) {
            return Outcome.SCALING;
        }
        if (hasChanges()) {
            return Outcome.RECOMMENDATION;
        }
        if (decisions.stream().anyMatch(ScalingDecision::isVetoed)) {
            return Outcome.VETOED;
        }
        return Outcome.NO_SCALING;
    }

    /** A readable summary: the outcome, then one line per decision. */
    public String message() {
        StringBuilder b = new StringBuilder(outcome().code()).append(" at ").append(at).append(" (mode ")
                .append(mode.label()).append(')');
        for (ScalingDecision d : decisions) {
            b.append('\n').append(d);
        }
        return b.toString();
    }
}
