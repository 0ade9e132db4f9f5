package dev.stretch.operator.customresource;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The one-word state of a job shown by {@code kubectl get streamjobs}. Derived from the rest of the status
 * (conditions and pod counts) on every reconcile; never an input to a decision.
 */
public enum JobPhase {
    /** Pods are being created or have not all become ready yet. */
    @JsonProperty("Pending")
    PENDING,
    /** Every desired pod is ready. */
    @JsonProperty("Running")
    RUNNING,
    /** Every pod reports that its job finished (bounded sources only). */
    @JsonProperty("Finished")
    FINISHED,
    /** Suspended (or scaled to zero) and pods are still terminating. */
    @JsonProperty("Suspending")
    SUSPENDING,
    /** Suspended (or scaled to zero) and no pod is left. */
    @JsonProperty("Suspended")
    SUSPENDED,
    /** Something is wrong (see the Degraded condition) but some pods still run. */
    @JsonProperty("Degraded")
    DEGRADED,
    /** Something is wrong (see the Degraded condition) and no pod runs. */
    @JsonProperty("Failed")
    FAILED,
    /** The {@code stretch.dev/paused} annotation stops the operator from touching the job's objects. */
    @JsonProperty("Paused")
    PAUSED;

    /** The name used in the status, e.g. {@code Running}. */
    public String wireName() {
        try {
            return JobPhase.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
