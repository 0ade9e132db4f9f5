package dev.stretch.operator.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A pod's answer to {@code GET /v1/status} (the runtime's pod contract). Unknown fields are ignored so the runtime
 * can add some without breaking the operator.
 *
 * @param job job name
 * @param pod the pod's name, ordinal and the job's pod count as the pod last read it (contract C1); a plain name
 *     from a runtime that reports no more
 * @param state RUNNING, FINISHED or FAILED
 * @param failure why the job failed (state FAILED), or null
 * @param operators the job's operators in this pod (kinds seen: source, window, sink, chained)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeReport(String job, Pod pod, String state, String failure, List<Operator> operators) {
    public static final String RUNNING = "RUNNING";
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";

    public List<Operator> operators() {
        return operators == null ? List.of() : operators;
    }

    /**
     * Which pod answered.
     *
     * @param ordinal its ordinal among the job's pods, or null when not reported
     * @param count the job's pod count as the pod last read it, or null when not reported
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pod(String name, Integer ordinal, Integer count) {
        /** A pod reported by name only. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Pod named(String name) {
            return new Pod(name, null, null);
        }
    }

    /**
     * One operator in one pod.
     *
     * @param instances threads running the operator now
     * @param busyRatio busy fraction of those threads (0..1)
     * @param backlog records waiting in the operator's input
     * @param eventTimeLagMs how far the operator's watermark trails its input, ms
     * @param heldUntil until when a manual {@code PUT /v1/parallelism} holds the operator's threads in this pod (an
     *     ISO-8601 instant), or null: the operator's autoscaler makes no thread decision for the pod until then
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Operator(String name, String kind, Integer instances, Integer minInstances, Integer maxInstances,
            Double inputRate, Double outputRate, Double busyRatio, Long backlog, Long eventTimeLagMs,
            String heldUntil) {
    }
}
