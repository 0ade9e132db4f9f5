package dev.stretch.model;

import java.time.Duration;

/**
 * The values a job gets where its document is silent. One place, so the runtime, the operator and the
 * documentation agree.
 */
public final class Defaults {
    public static final ExecutionMode MODE = ExecutionMode.VSN;
    public static final int MAX_KEY_GROUPS = 128;
    public static final ErrorPolicy ERROR_POLICY = ErrorPolicy.FAIL;
    public static final int BATCH_SIZE = 1024;
    public static final int THREADS_MIN = 1;
    public static final int THREADS_MAX = 8;
    public static final int THREADS_INITIAL = 1;
    public static final int PODS_MIN = 1;
    public static final int PODS_MAX = 1;
    public static final int PODS_INITIAL = 1;
    /** {@code spec.replicas} when unset; also the CRD's default for it. */
    public static final int REPLICAS = 1;
    public static final double TARGET_UTILIZATION = 0.7;
    public static final double BAND_LOW = 0.45;
    public static final double BAND_HIGH = 0.9;
    public static final Duration METRIC_WINDOW = Duration.ofSeconds(5);
    public static final Duration STABILIZATION = Duration.ofSeconds(10);
    public static final Duration SCALE_DOWN_DELAY = Duration.ofSeconds(60);
    public static final Duration POD_SCALE_UP_DELAY = Duration.ofSeconds(30);
    public static final Duration POD_SCALE_DOWN_DELAY = Duration.ofMinutes(5);
    public static final double MAX_SCALE_DOWN_FACTOR = 0.5;
    public static final double POD_CPU_MIN_CORES = 0.5;
    public static final double POD_CPU_STEP_CORES = 0.5;
    public static final double THREADS_PER_CORE = 1;
    /** Scrapes of the pods' /metrics are cheap; twice a second halves the wait for a load step to show. */
    public static final Duration DIRECT_INTERVAL = Duration.ofMillis(500);
    public static final Duration PROMETHEUS_INTERVAL = Duration.ofSeconds(5);
    public static final Duration PROMETHEUS_RATE_WINDOW = Duration.ofSeconds(30);
    public static final long GENERATOR_SEED = 1;
    public static final int GENERATOR_KEYS = 1000;
    public static final long GENERATOR_VALUE_MAX = 1000;
    public static final double GENERATOR_RATE = 1000;
    /** The job pods' image when a job names none: from the Helm chart, see {@link Release}. */
    public static final String IMAGE = Release.runtimeImage();
    /** Requests of a pod whose job sets none: enough for one busy keyed operator and its JVM. */
    public static final java.util.Map<String, String> REQUESTS = java.util.Map.of("cpu", "500m", "memory", "1Gi");
    /** Limits of a pod whose job sets none: memory bounded (the JVM sizes its heap from it), CPU may burst to 2. */
    public static final java.util.Map<String, String> LIMITS = java.util.Map.of("cpu", "2", "memory", "1Gi");

    private Defaults() {
    }

    public static int threadsMin(StreamJobSpec s) {
        Bounds b = s.getParallelism() == null ? null : s.getParallelism().getThreads();
        return b == null || b.getMin() == null ? THREADS_MIN : b.getMin();
    }

    public static int threadsMax(StreamJobSpec s) {
        Bounds b = s.getParallelism() == null ? null : s.getParallelism().getThreads();
        return b == null || b.getMax() == null ? Math.max(THREADS_MAX, threadsMin(s)) : b.getMax();
    }

    public static int threadsInitial(StreamJobSpec s) {
        Bounds b = s.getParallelism() == null ? null : s.getParallelism().getThreads();
        return b == null || b.getInitial() == null ? Math.max(threadsMin(s), THREADS_INITIAL) : b.getInitial();
    }

    public static int podsMin(StreamJobSpec s) {
        Bounds b = s.getParallelism() == null ? null : s.getParallelism().getPods();
        return b == null || b.getMin() == null ? PODS_MIN : b.getMin();
    }

    public static int podsMax(StreamJobSpec s) {
        Bounds b = s.getParallelism() == null ? null : s.getParallelism().getPods();
        return b == null || b.getMax() == null ? Math.max(PODS_MAX, podsMin(s)) : b.getMax();
    }

    public static int podsInitial(StreamJobSpec s) {
        Bounds b = s.getParallelism() == null ? null : s.getParallelism().getPods();
        return b == null || b.getInitial() == null ? podsMin(s) : b.getInitial();
    }

    /** Pods wanted now: {@code spec.replicas}, 1 when unset (the CRD's default, so a cluster and a file agree). */
    public static int replicas(StreamJobSpec s) {
        return s.getReplicas() != null ? s.getReplicas() : REPLICAS;
    }

    public static ExecutionMode mode(StreamJobSpec s) {
        return s.getEngine() == null || s.getEngine().getMode() == null ? MODE : s.getEngine().getMode();
    }

    public static int maxKeyGroups(StreamJobSpec s) {
        return s.getEngine() == null || s.getEngine().getMaxKeyGroups() == null ? MAX_KEY_GROUPS
                : s.getEngine().getMaxKeyGroups();
    }

    public static ErrorPolicy errorPolicy(StreamJobSpec s) {
        return s.getEngine() == null || s.getEngine().getErrorPolicy() == null ? ERROR_POLICY
                : s.getEngine().getErrorPolicy();
    }

    public static LateRecords lateRecords(StreamJobSpec s) {
        return s.getEngine() == null || s.getEngine().getLateRecords() == null ? LateRecords.DROP
                : s.getEngine().getLateRecords();
    }

    public static int batchSize(StreamJobSpec s) {
        return s.getEngine() == null || s.getEngine().getBatchSize() == null ? BATCH_SIZE : s.getEngine().getBatchSize();
    }

    public static double targetUtilization(AutoscalingSpec a) {
        return a == null || a.getTargetUtilization() == null ? TARGET_UTILIZATION : a.getTargetUtilization();
    }

    public static double bandLow(AutoscalingSpec a) {
        return a == null || a.getUtilizationBand() == null || a.getUtilizationBand().getLow() == null ? BAND_LOW
                : a.getUtilizationBand().getLow();
    }

    public static double bandHigh(AutoscalingSpec a) {
        return a == null || a.getUtilizationBand() == null || a.getUtilizationBand().getHigh() == null ? BAND_HIGH
                : a.getUtilizationBand().getHigh();
    }

    public static Duration metricWindow(AutoscalingSpec a) {
        return a == null ? METRIC_WINDOW : Durations.parse(a.getMetricWindow(), METRIC_WINDOW);
    }

    public static Duration stabilization(AutoscalingSpec a) {
        return a == null ? STABILIZATION : Durations.parse(a.getStabilization(), STABILIZATION);
    }

    public static Duration scaleDownDelay(AutoscalingSpec a) {
        return a == null ? SCALE_DOWN_DELAY : Durations.parse(a.getScaleDownDelay(), SCALE_DOWN_DELAY);
    }

    public static Duration podScaleUpDelay(AutoscalingSpec a) {
        return a == null ? POD_SCALE_UP_DELAY : Durations.parse(a.getPodScaleUpDelay(), POD_SCALE_UP_DELAY);
    }

    public static Duration podScaleDownDelay(AutoscalingSpec a) {
        return a == null ? POD_SCALE_DOWN_DELAY : Durations.parse(a.getPodScaleDownDelay(), POD_SCALE_DOWN_DELAY);
    }

    public static double maxScaleDownFactor(AutoscalingSpec a) {
        return a == null || a.getMaxScaleDownFactor() == null ? MAX_SCALE_DOWN_FACTOR : a.getMaxScaleDownFactor();
    }

    public static MetricSourceType metricSource(AutoscalingSpec a) {
        return a == null || a.getMetricSource() == null || a.getMetricSource().getType() == null
                ? MetricSourceType.DIRECT : a.getMetricSource().getType();
    }

    /** How often the operator collects and decides: 1 s scraping the pods, 5 s through Prometheus. */
    public static Duration metricInterval(AutoscalingSpec a) {
        Duration fallback = metricSource(a) == MetricSourceType.PROMETHEUS ? PROMETHEUS_INTERVAL : DIRECT_INTERVAL;
        return a == null || a.getMetricSource() == null ? fallback
                : Durations.parse(a.getMetricSource().getInterval(), fallback);
    }

    public static Duration prometheusRateWindow(AutoscalingSpec a) {
        return a == null || a.getMetricSource() == null ? PROMETHEUS_RATE_WINDOW
                : Durations.parse(a.getMetricSource().getRateWindow(), PROMETHEUS_RATE_WINDOW);
    }

    public static boolean podCpuInPlace(AutoscalingSpec a) {
        return a == null || a.getPodCpu() == null || a.getPodCpu().getInPlace() == null || a.getPodCpu().getInPlace();
    }

    public static double threadsPerCore(AutoscalingSpec a) {
        return a == null || a.getPodCpu() == null || a.getPodCpu().getThreadsPerCore() == null ? THREADS_PER_CORE
                : a.getPodCpu().getThreadsPerCore();
    }

    public static double podCpuMinCores(AutoscalingSpec a) {
        return a == null || a.getPodCpu() == null || a.getPodCpu().getMinCores() == null ? POD_CPU_MIN_CORES
                : a.getPodCpu().getMinCores();
    }

    public static double podCpuStepCores(AutoscalingSpec a) {
        return a == null || a.getPodCpu() == null || a.getPodCpu().getStepCores() == null ? POD_CPU_STEP_CORES
                : a.getPodCpu().getStepCores();
    }

    /** The largest CPU per pod, or {@code fallback} (the pod's CPU limit) when the job sets none. */
    public static double podCpuMaxCores(AutoscalingSpec a, double fallback) {
        return a == null || a.getPodCpu() == null || a.getPodCpu().getMaxCores() == null ? fallback
                : a.getPodCpu().getMaxCores();
    }
}
