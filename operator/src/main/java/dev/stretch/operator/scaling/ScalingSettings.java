package dev.stretch.operator.scaling;

import dev.stretch.autoscaler.AutoscalerConfig;
import dev.stretch.autoscaler.AutoscalerOptions;
import dev.stretch.autoscaler.ClusterAutoscaler;
import dev.stretch.autoscaler.ExcludedPeriod;
import dev.stretch.autoscaler.PodLimits;
import dev.stretch.model.AutoscalingMode;
import dev.stretch.model.AutoscalingSpec;
import dev.stretch.model.Defaults;
import dev.stretch.model.StreamJobSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A StreamJob's autoscaling block turned into the policy's settings; unset fields keep their defaults. */
final class ScalingSettings {
    private ScalingSettings() {
    }

    /** The mode the operator acts in: the job's, Auto when it says nothing (as {@code stretch run}). */
    static AutoscalingMode mode(StreamJobSpec spec) {
        AutoscalingSpec a = spec.getAutoscaling();
        return a == null || a.getMode() == null ? AutoscalingMode.AUTO : a.getMode();
    }

    static AutoscalerConfig threads(StreamJobSpec spec) {
        AutoscalingSpec a = spec.getAutoscaling();
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AutoscalerOptions.MODE.key(), mode(spec).wireName());
        m.put(AutoscalerOptions.TARGET_UTILIZATION.key(), Double.toString(Defaults.targetUtilization(a)));
        m.put(AutoscalerOptions.UTILIZATION_LOW.key(), Double.toString(Defaults.bandLow(a)));
        m.put(AutoscalerOptions.UTILIZATION_HIGH.key(), Double.toString(Defaults.bandHigh(a)));
        m.put(AutoscalerOptions.METRIC_WINDOW.key(), Defaults.metricWindow(a).toMillis() + "ms");
        m.put(AutoscalerOptions.STABILIZATION.key(), Defaults.stabilization(a).toMillis() + "ms");
        m.put(AutoscalerOptions.SCALE_DOWN_DELAY.key(), Defaults.scaleDownDelay(a).toMillis() + "ms");
        return AutoscalerConfig.fromMap(m);
    }

    /**
     * What the planner may do: threads per core, in-place CPU between the job's bounds (by default only up to the
     * pod's CPU limit as created, i.e. no resize until the job raises {@code podCpu.maxCores}), pods within
     * {@code parallelism.pods}, threads per operator per pod within {@code parallelism.threads.max}.
     */
    static PodLimits limits(StreamJobSpec spec, double createdCpuCores) {
        AutoscalingSpec a = spec.getAutoscaling();
        double max = Math.max(Defaults.podCpuMaxCores(a, createdCpuCores), Defaults.podCpuMinCores(a));
        PodLimits l = new PodLimits(Defaults.threadsPerCore(a), Defaults.podCpuInPlace(a),
                Math.min(Defaults.podCpuMinCores(a), max), max, Defaults.podCpuStepCores(a), Defaults.podsMin(spec),
                Math.max(Defaults.podsMin(spec), Defaults.podsMax(spec)), Defaults.threadsMax(spec));
        return l;
    }

    static ClusterAutoscaler.Settings cluster(StreamJobSpec spec) {
        AutoscalingSpec a = spec.getAutoscaling();
        List<ExcludedPeriod> excluded = a == null || a.getExcludedPeriods() == null ? List.of()
                : a.getExcludedPeriods().stream().map(ExcludedPeriod::parse).toList();
        return new ClusterAutoscaler.Settings(Defaults.podScaleUpDelay(a), Defaults.podScaleDownDelay(a),
                Defaults.maxScaleDownFactor(a), 4096, excluded);
    }
}
