package dev.stretch.operator.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A pod's answer to {@code GET /v1/status} (the runtime's pod contract). Unknown fields are ignored so the runtime
 * can add some without breaking the operator.
 *
 * @param job job name
 * @param pod the pod: its name (older runtimes), or {@code {"name", "ordinal", "count"}} (CONTRACTS C1)
 * @param state RUNNING, FINISHED or FAILED
 * @param failure why the job failed (state FAILED), or null
 * @param operators the job's operators in this pod (kinds seen: source, window, sink, chained)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeReport(String job, JsonNode pod, String state, String failure, List<Operator> operators) {
    public static final String RUNNING = "RUNNING";
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";

    /** The job's pod count as this pod last read it from its topology file, or -1 when it does not say. */
    public int podCount() {
        return pod != null && pod.isObject() && pod.path("count").canConvertToInt() ? pod.path("count").asInt() : -1;
    }

    public List<Operator> operators() {
        return operators == null ? List.of() : operators;
    }

    /**
     * One operator in one pod.
     *
     * @param instances threads running the operator now
     * @param busyRatio busy fraction of those threads (0..1)
     * @param backlog records waiting in the operator's input
     * @param eventTimeLagMs how far the operator's watermark trails its input, ms
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Operator(String name, String kind, Integer instances, Integer minInstances, Integer maxInstances,
            Double inputRate, Double outputRate, Double busyRatio, Long backlog, Long eventTimeLagMs) {
    }
}
