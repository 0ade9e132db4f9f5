package dev.stretch.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The job's conditions, following the Kubernetes convention (metav1.Condition): one entry per type, and
 * {@code lastTransitionTime} changes only when the condition's status flips — reason, message and
 * observedGeneration are refreshed without touching it.
 */
public final class Conditions {
    /** All desired pods are ready. */
    public static final String READY = "Ready";
    /** The pod count or the pods' template is changing. */
    public static final String SCALING = "Scaling";
    /** The spec is invalid, reconciling failed, or pods are failing. */
    public static final String DEGRADED = "Degraded";
    /** The {@code stretch.dev/paused} annotation is set. */
    public static final String RECONCILIATION_PAUSED = "ReconciliationPaused";

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /**
     * Sets a condition in place.
     *
     * @return true when the status flipped or the condition is new
     */
    public static boolean set(List<Condition> conditions, String type, boolean status, String reason, String message,
            Long observedGeneration, Instant now) {
        String s = status ? "True" : "False";
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString(); // RFC 3339, seconds, as the API server stores it
        Optional<Condition> existing = find(conditions, type);
        if (existing.isPresent()) {
            Condition c = existing.get();
            boolean flipped = !Objects.equals(c.getStatus(), s);
            if (flipped || c.getLastTransitionTime() == null) {
                c.setLastTransitionTime(time);
            }
            c.setStatus(s);
            c.setReason(reason);
            c.setMessage(message);
            c.setObservedGeneration(observedGeneration);
            return flipped;
        }
        conditions.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withObservedGeneration(observedGeneration).withLastTransitionTime(time).build());
        return true;
    }

    /** A deep copy, so a new status can be computed without touching the one it starts from. */
    public static List<Condition> copy(List<Condition> in) {
        List<Condition> out = new ArrayList<>();
        if (in != null) {
            in.forEach(c -> out.add(new ConditionBuilder(c).build()));
        }
        return out;
    }
}
