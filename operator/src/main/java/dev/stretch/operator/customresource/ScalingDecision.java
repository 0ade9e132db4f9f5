package dev.stretch.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The last change of the job's pod count and why it happened. Every decision is also a Kubernetes Event
 * whose reason is {@link #getReason()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalingDecision {
    /** spec.replicas changed: {@code kubectl scale}, an HPA/KEDA through the scale subresource, or an edit. */
    public static final String REPLICAS_CHANGED = "ReplicasChanged";
    /** The requested pod count lies outside spec.parallelism.pods and was clamped. */
    public static final String CLAMPED_TO_BOUNDS = "ClampedToBounds";
    /** spec.parallelism.pods changed and moved the clamped pod count. */
    public static final String BOUNDS_CHANGED = "BoundsChanged";
    /** spec.suspend became true. */
    public static final String SUSPENDED = "Suspended";
    /** spec.suspend became false (or replicas left zero). */
    public static final String RESUMED = "Resumed";

    @JsonPropertyDescription("When the decision was made (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Pods before the decision.")
    private Integer fromReplicas;

    @JsonPropertyDescription("Pods after the decision.")
    private Integer toReplicas;

    @JsonPropertyDescription("Stable reason code: ReplicasChanged, ClampedToBounds, BoundsChanged, Suspended, Resumed.")
    private String reason;

    @JsonPropertyDescription("The decision in words, with the values behind it.")
    private String message;

    public ScalingDecision() {
    }

    public ScalingDecision(String time, int fromReplicas, int toReplicas, String reason, String message) {
        this.time = time;
        this.fromReplicas = fromReplicas;
        this.toReplicas = toReplicas;
        this.reason = reason;
        this.message = message;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public Integer getFromReplicas() {
        return fromReplicas;
    }

    public void setFromReplicas(Integer fromReplicas) {
        this.fromReplicas = fromReplicas;
    }

    public Integer getToReplicas() {
        return toReplicas;
    }

    public void setToReplicas(Integer toReplicas) {
        this.toReplicas = toReplicas;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
