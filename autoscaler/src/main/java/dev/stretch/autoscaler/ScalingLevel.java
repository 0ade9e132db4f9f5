package dev.stretch.autoscaler;

/**
 * The resources the Kubernetes operator can change, in the order it reaches for them when a job needs more
 * capacity; it releases them in the reverse order. Threads are instant and free, a pod's CPU can be resized in
 * place where the cluster supports it, and pods are slow because partitions and their state move.
 */
public enum ScalingLevel {
    /** Threads per operator inside each pod. */
    THREADS("Threads"),
    /** CPU of each pod, resized in place. */
    POD_CPU("PodCpu"),
    /** Number of pods. */
    POD_COUNT("PodCount");

    private final String code;

    ScalingLevel(String code) {
        this.code = code;
    }

    /** Stable CamelCase code for events. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
