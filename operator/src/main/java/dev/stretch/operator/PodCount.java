package dev.stretch.operator;

import dev.stretch.model.Defaults;
import dev.stretch.model.StreamJobSpec;

/**
 * How many pods a job should have now: {@code spec.replicas} (or the initial pod count) clamped to
 * {@code spec.parallelism.pods}; zero when suspended. An explicit {@code replicas: 0} also means zero pods, so
 * {@code kubectl scale --replicas=0} and scale-to-zero autoscalers (KEDA) stop a job as they stop anything else.
 */
public final class PodCount {
    private PodCount() {
    }

    public static int desired(StreamJobSpec spec) {
        if (suspended(spec) || scaledToZero(spec)) {
            return 0;
        }
        return clamp(spec);
    }

    /** The requested count clamped to the pod bounds, ignoring suspension. */
    public static int clamp(StreamJobSpec spec) {
        return Math.max(Defaults.podsMin(spec), Math.min(Defaults.podsMax(spec), Defaults.replicas(spec)));
    }

    /** What spec.replicas asks for (the initial pod count when unset). */
    public static int requested(StreamJobSpec spec) {
        return Defaults.replicas(spec);
    }

    public static boolean suspended(StreamJobSpec spec) {
        return Boolean.TRUE.equals(spec.getSuspend());
    }

    public static boolean scaledToZero(StreamJobSpec spec) {
        return spec.getReplicas() != null && spec.getReplicas() == 0;
    }
}
