package dev.stretch.autoscaler;

/**
 * What the {@link ResourcePlanner} may do with a job's pods: how many threads a CPU core can usefully feed,
 * whether pod CPU can be resized in place and within which range, and the pod count bounds.
 *
 * @param threadsPerCore threads one CPU core keeps usefully busy; a pod of {@code c} cores runs at most
 *     {@code floor(c * threadsPerCore)} operator threads
 * @param inPlaceCpuResize whether the cluster resizes a running pod's CPU in place
 * @param minCpuCores smallest CPU per pod the planner sets when resizing
 * @param maxCpuCores largest CPU per pod the planner sets when resizing
 * @param cpuStepCores granularity of CPU sizes (e.g. 0.5 cores)
 * @param minPods fewest pods
 * @param maxPods most pods
 * @param maxThreadsPerOperator most threads of one operator in one pod (the job's
 *     {@code parallelism.threads.max}); more are spread over more pods
 */
public record PodLimits(double threadsPerCore, boolean inPlaceCpuResize, double minCpuCores, double maxCpuCores,
        double cpuStepCores, int minPods, int maxPods, int maxThreadsPerOperator) {

    /** Limits without a per-operator thread maximum. */
    public PodLimits(double threadsPerCore, boolean inPlaceCpuResize, double minCpuCores, double maxCpuCores,
            double cpuStepCores, int minPods, int maxPods) {
        this(threadsPerCore, inPlaceCpuResize, minCpuCores, maxCpuCores, cpuStepCores, minPods, maxPods,
                Integer.MAX_VALUE);
    }

    public PodLimits {
        if (!(threadsPerCore > 0) || !Double.isFinite(threadsPerCore)) {
            throw new IllegalArgumentException("threadsPerCore must be positive, was " + threadsPerCore);
        }
        if (!(minCpuCores > 0) || !(maxCpuCores >= minCpuCores) || !Double.isFinite(maxCpuCores)) {
            throw new IllegalArgumentException("CPU range [" + minCpuCores + ", " + maxCpuCores + "]");
        }
        if (!(cpuStepCores > 0) || !Double.isFinite(cpuStepCores)) {
            throw new IllegalArgumentException("cpuStepCores must be positive, was " + cpuStepCores);
        }
        if (minPods < 1 || maxPods < minPods) {
            throw new IllegalArgumentException("pod range [" + minPods + ", " + maxPods + "]");
        }
        if (maxThreadsPerOperator < 1) {
            throw new IllegalArgumentException("maxThreadsPerOperator must be at least 1, was " + maxThreadsPerOperator);
        }
    }

    /** The same limits with CPU fixed where it is now: what a cluster that refuses in-place resize leaves. */
    public PodLimits withoutCpuResize() {
        return new PodLimits(threadsPerCore, false, minCpuCores, maxCpuCores, cpuStepCores, minPods, maxPods,
                maxThreadsPerOperator);
    }

    /**
     * The limits for the pods other than {@code held} ones whose size is not the policy's to change (pods whose
     * threads are held by hand): {@code held} fewer pods at both ends, at least one.
     */
    public PodLimits withoutPods(int held) {
        if (held <= 0) {
            return this;
        }
        int min = Math.max(1, minPods - held);
        return new PodLimits(threadsPerCore, inPlaceCpuResize, minCpuCores, maxCpuCores, cpuStepCores, min,
                Math.max(min, maxPods - held), maxThreadsPerOperator);
    }

    /** The same limits with at most {@code max} threads of one operator per pod. */
    public PodLimits withMaxThreadsPerOperator(int max) {
        return new PodLimits(threadsPerCore, inPlaceCpuResize, minCpuCores, maxCpuCores, cpuStepCores, minPods,
                maxPods, max);
    }

    /** Limits for a cluster without in-place resize: pods keep the CPU they were created with. */
    public static PodLimits fixedCpu(double threadsPerCore, int minPods, int maxPods) {
        return new PodLimits(threadsPerCore, false, Double.MIN_VALUE, Double.MAX_VALUE, 1, minPods, maxPods);
    }

    /** Limits for a cluster that resizes pod CPU in place, between {@code minCpu} and {@code maxCpu} cores. */
    public static PodLimits resizableCpu(double threadsPerCore, double minCpu, double maxCpu, double cpuStep,
            int minPods, int maxPods) {
        return new PodLimits(threadsPerCore, true, minCpu, maxCpu, cpuStep, minPods, maxPods);
    }

    /** Most operator threads a pod with {@code cpuCores} cores can feed. */
    public int threadCapacity(double cpuCores) {
        return (int) Math.floor(cpuCores * threadsPerCore + 1e-9);
    }

    /** Smallest CPU size (a multiple of the step, at least {@code minCpuCores}) that feeds {@code threads}. */
    public double cpuFor(int threads) {
        double steps = Math.ceil(threads / threadsPerCore / cpuStepCores - 1e-9);
        return Math.max(minCpuCores, steps * cpuStepCores);
    }
}
