package dev.stretch.runtime;

import dev.stretch.api.JobExecution;
import dev.stretch.engine.metrics.MetricsSampler;
import java.time.Instant;

/**
 * What the HTTP endpoints, the progress display and the autoscaler see of the job this process runs.
 */
public interface JobHandle {
    /** The job's name (metadata.name). */
    String jobName();

    /** This process's identity: the pod name in Kubernetes, "local" for {@code stretch run}. */
    String podName();

    /** This process's place among the pods of its job: its ordinal and the job's current pod count. */
    default PodIdentity pod() {
        return new PodIdentity(podName(), 0, 1);
    }

    /** The running engine job: metrics, rescaling, status. */
    JobExecution execution();

    /**
     * Rates sampled by the runtime every {@link #sampleIntervalMillis()} ms; callers read
     * {@link MetricsSampler#latest()} and must not call {@code sample()} themselves.
     */
    MetricsSampler sampler();

    long sampleIntervalMillis();

    Instant startedAt();

    /**
     * Registers a callback for every completed reconfiguration of the job; a process whose engine restarts (Kafka
     * partition moves) keeps it registered on the new engine.
     */
    default void addReconfigurationListener(dev.stretch.api.ReconfigurationListener listener) {
        execution().addReconfigurationListener(listener);
    }

    /** The in-process autoscaler's holds, when one runs in this process (see {@link ScalingHolds}). */
    default java.util.Optional<ScalingHolds> inProcessAutoscaler() {
        return java.util.Optional.empty();
    }

    /**
     * Where manual rescalings are held: the in-process autoscaler when one runs, else (a pod scaled by the
     * Kubernetes operator) a plain record of the holds that {@code GET /v1/status} reports for the operator to
     * respect. Empty when neither keeps holds.
     */
    default java.util.Optional<ScalingHolds> holds() {
        return inProcessAutoscaler();
    }

    /** Operator name → bounds for rescaling in this process ([min, max] threads). */
    default java.util.Map<String, int[]> threadBounds() {
        java.util.Map<String, int[]> m = new java.util.LinkedHashMap<>();
        for (JobExecution.ElasticOperator o : execution().elasticOperators()) {
            m.put(o.name(), new int[] {o.min(), o.max()});
        }
        return m;
    }
}
