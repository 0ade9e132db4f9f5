package dev.stretch.operator.status;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.Objects;

/**
 * Whether the StatefulSet controller is still moving pods to the current template, read like
 * {@code kubectl rollout status}: the controller has seen the latest spec and every pod runs the update revision.
 *
 * @param inProgress pods still run an older template (or the controller has not caught up)
 * @param updated pods on the current template
 */
public record Rollout(boolean inProgress, int updated) {
    public static final Rollout UNKNOWN = new Rollout(false, 0);

    public static Rollout of(StatefulSet sts) {
        if (sts == null || sts.getStatus() == null) {
            return UNKNOWN;
        }
        StatefulSetStatus s = sts.getStatus();
        Long generation = sts.getMetadata().getGeneration();
        boolean behind = generation != null && s.getObservedGeneration() != null && s.getObservedGeneration() < generation;
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        int updated = s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
        boolean revisions = s.getUpdateRevision() != null && !Objects.equals(s.getUpdateRevision(), s.getCurrentRevision());
        return new Rollout(behind || (replicas > 0 && (updated < replicas || revisions)), updated);
    }
}
