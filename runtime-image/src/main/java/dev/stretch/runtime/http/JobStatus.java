package dev.stretch.runtime.http;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The body of {@code GET /v1/status}: what this process runs and how each operator is doing.
 *
 * @param job the job's name
 * @param pod this process's identity: pod name, ordinal, and the job's pod count
 * @param state {@code RUNNING}, {@code FINISHED}, {@code FAILED} or {@code CANCELLED}
 * @param uptimeSeconds since the job started, with millisecond precision
 * @param failure the error that ended the job, or {@code null}
 * @param operators one entry per operator, in topological order (chained stateless operators included)
 */
@JsonPropertyOrder({"job", "pod", "state", "uptimeSeconds", "failure", "operators"})
public record JobStatus(String job, dev.stretch.runtime.PodIdentity pod, String state, double uptimeSeconds, String failure,
        List<OperatorStatus> operators) {

    /**
     * One operator. Counts and gauges are read when the request is served; rates and the busy ratio come
     * from the runtime's last metrics sample (0 before the second sample).
     *
     * @param kind {@code source}, {@code window}, {@code sink} or {@code chained}
     * @param minInstances lower bound for rescaling; equals {@code instances} for an operator that cannot be
     *     rescaled
     * @param maxInstances upper bound, likewise
     * @param inputRate tuples per second entering the operator
     * @param outputRate tuples per second it emits
     * @param busyRatio fraction of its instances' time spent processing, in [0, 1]
     * @param backlog tuples waiting in its input for its slowest instance
     * @param eventTimeLagMs how far its watermark trails its inputs' event time
     * @param watermark event time (epoch ms) up to which it has processed its input; {@code null} while
     *     unknown
     * @param lateTuples tuples dropped as late
     * @param badRecords bad records (whatever the error policy did with them)
     * @param reconfigurations completed reconfigurations
     * @param tuplesIn tuples that entered the operator since the job started (for a chained operator: its own)
     * @param tuplesOut tuples it emitted since the job started (a stage's after its chained operators)
     * @param heldUntil until when a manual change keeps the in-process autoscaler from changing this
     *     operator, or {@code null}
     */
    @JsonPropertyOrder({"name", "kind", "instances", "minInstances", "maxInstances", "inputRate", "outputRate",
            "busyRatio", "backlog", "eventTimeLagMs", "watermark", "lateTuples", "badRecords", "reconfigurations",
            "tuplesIn", "tuplesOut", "heldUntil"})
    public record OperatorStatus(String name, String kind, int instances, int minInstances, int maxInstances,
            double inputRate, double outputRate, double busyRatio, long backlog, long eventTimeLagMs, Long watermark,
            long lateTuples, long badRecords, long reconfigurations, long tuplesIn, long tuplesOut, String heldUntil) {
    }
}
