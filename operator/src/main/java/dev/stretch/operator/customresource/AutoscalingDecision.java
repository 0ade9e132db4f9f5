package dev.stretch.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** One decision of the operator's autoscaler, as the status shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingDecision {
    @JsonPropertyDescription("When it was decided (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Stable code: AddThreads, RemoveThreads, RaisePodCpu, LowerPodCpu, AddPods, RemovePods, NoChange, PodChangeDelayed, CatchingUp, ExcludedPeriod, Hold, ScalingDisabled, MetricsUnavailable, CpuResizeRefused.")
    private String reason;

    @JsonPropertyDescription("What it changes: Threads, PodCpu or PodCount; empty when nothing.")
    private String level;

    @JsonPropertyDescription("From where to where, e.g. '1 pod(s) x 2.0 cores, threads per pod {counts=1} -> ... {counts=2}'.")
    private String change;

    @JsonPropertyDescription("Whether it was carried out (mode Auto) or only recommended.")
    private Boolean applied;

    @JsonPropertyDescription("Why, with the metrics behind it.")
    private String message;

    public AutoscalingDecision() {
    }

    public AutoscalingDecision(String time, String reason, String level, String change, Boolean applied,
            String message) {
        this.time = time;
        this.reason = reason;
        this.level = level;
        this.change = change;
        this.applied = applied;
        this.message = message;
    }

    /** Same decision, whatever its time and message (whose numbers move every evaluation). */
    public boolean sameAs(AutoscalingDecision o) {
        return o != null && Objects.equals(reason, o.reason) && Objects.equals(level, o.level)
                && Objects.equals(change, o.change) && Objects.equals(applied, o.applied);
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getLevel() {
        return level;
    }

    public void setLevel(String level) {
        this.level = level;
    }

    public String getChange() {
        return change;
    }

    public void setChange(String change) {
        this.change = change;
    }

    public Boolean getApplied() {
        return applied;
    }

    public void setApplied(Boolean applied) {
        this.applied = applied;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
