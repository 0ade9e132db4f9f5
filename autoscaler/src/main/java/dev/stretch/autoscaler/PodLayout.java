package dev.stretch.autoscaler;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a job is spread over pods: pod count, CPU per pod, and threads per operator in each pod (every pod runs
 * every operator; key groups are split among a pod's threads, partitions among pods).
 *
 * @param pods number of pods, at least 1
 * @param cpuCores CPU per pod, in cores
 * @param threadsPerPod threads of each operator in each pod, each at least 1
 */
public record PodLayout(int pods, double cpuCores, Map<String, Integer> threadsPerPod) {

    public PodLayout {
        if (pods < 1) {
            throw new IllegalArgumentException("pods " + pods + " < 1");
        }
        if (!(cpuCores > 0) || !Double.isFinite(cpuCores)) {
            throw new IllegalArgumentException("cpuCores must be positive, was " + cpuCores);
        }
        threadsPerPod.forEach((op, t) -> {
            if (t == null || t < 1) {
                throw new IllegalArgumentException(op + ": " + t + " threads per pod");
            }
        });
        threadsPerPod = Collections.unmodifiableMap(new LinkedHashMap<>(threadsPerPod));
    }

    /** Threads of all operators in one pod. */
    public int threadsInPod() {
        return threadsPerPod.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Threads of one operator over all pods (0 for an unknown operator). */
    public int totalThreads(String operator) {
        return pods * threadsPerPod.getOrDefault(operator, 0);
    }

    @Override
    public String toString() {
        return pods + " pod(s) x " + cpuCores + " cores, threads per pod " + threadsPerPod;
    }
}
