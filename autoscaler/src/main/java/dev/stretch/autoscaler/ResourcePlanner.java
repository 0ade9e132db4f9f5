package dev.stretch.autoscaler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the threads a job needs into a pod layout, for the Kubernetes operator: (1) threads per operator inside
 * each pod, up to what the pod's CPU feeds; (2) in-place pod CPU resize, where the cluster supports it; (3) more
 * pods. When the job needs less it releases in the reverse order: (3) pods, (2) CPU, (1) threads. Pure and
 * stateless: how often it may shrink is the {@link JobAutoscaler}'s business (stabilisation and scale-down delay
 * apply to the thread counts it is given).
 *
 * <p>An operator with {@code T} threads in total runs {@code ceil(T / pods)} threads in each pod. A pod of
 * {@code c} cores feeds {@link PodLimits#threadCapacity(double)} threads in all.
 *
 * <ul>
 *   <li>If the current pods and CPU feed the threads needed, the plan shrinks: the fewest pods that still feed
 *       them at the current CPU, then the smallest CPU that feeds the threads per pod, then the threads.
 *   <li>Otherwise it grows: threads as far as the current CPU feeds them; then, if resizable, the CPU that feeds
 *       all threads at the current pod count; if that exceeds the maximum CPU (or CPU is fixed), the fewest extra
 *       pods that feed them at the largest CPU, with the CPU then sized for that pod count.
 * </ul>
 *
 * <p>When even the maximum pods at the maximum CPU cannot feed the threads, the plan is {@code limited}: threads
 * per pod are cut to the capacity, taking one from the operator with the most threads at a time.
 */
public final class ResourcePlanner {

    private final PodLimits limits;

    public ResourcePlanner(PodLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Plans the steps from {@code current} to a layout that feeds {@code requiredThreads}.
     *
     * @param current the layout the job runs with now
     * @param requiredThreads total threads (over all pods) per operator, typically the
     *     {@link ScalingDecision#target() targets} of a {@link ScalingReport}; an operator of {@code current} that
     *     is absent keeps its current total
     */
    public ScalingPlan plan(PodLayout current, Map<String, Integer> requiredThreads) {
        Map<String, Integer> totals = new LinkedHashMap<>();
        current.threadsPerPod().keySet().forEach(op -> totals.put(op, current.totalThreads(op)));
        requiredThreads.forEach((op, t) -> {
            if (t == null || t < 1) {
                throw new IllegalArgumentException(op + ": " + t + " threads required");
            }
            totals.put(op, t);
        });
        int pods0 = current.pods();
        double cpu0 = current.cpuCores();
        int p0 = Math.max(limits.minPods(), Math.min(limits.maxPods(), pods0));
        List<PlanStep> steps = new ArrayList<>();
        PodLayout last = current;
        boolean limited = false;
        String message;
        if (!fits(totals, p0, cpu0)) {
            int p;
            double c;
            if (limits.inPlaceCpuResize() && limits.cpuFor(need(totals, p0)) <= limits.maxCpuCores()
                    && widest(totals, p0) <= limits.maxThreadsPerOperator()) {
                p = p0;
                c = Math.max(cpu0, limits.cpuFor(need(totals, p0)));
                message = f("%d threads per pod needed at %d pod(s), %.2f cores feed %d: resize CPU to %.2f cores",
                        need(totals, p0), p0, cpu0, limits.threadCapacity(cpu0), c);
            } else {
                double cpuLimit = limits.inPlaceCpuResize() ? Math.max(cpu0, limits.maxCpuCores()) : cpu0;
                p = limits.maxPods() <= p0 ? p0 : limits.maxPods();
                for (int q = p0 + 1; q <= limits.maxPods(); q++) {
                    if (fits(totals, q, cpuLimit)) {
                        p = q;
                        break;
                    }
                }
                limited = !fits(totals, p, cpuLimit);
                c = limits.inPlaceCpuResize()
                        ? Math.max(cpu0, Math.min(cpuLimit, limits.cpuFor(need(totals, p)))) : cpu0;
                message = f("%d threads per pod needed at %d pod(s), at most %d fed per pod (%.2f cores): "
                        + "%d pod(s) x %.2f cores%s", need(totals, p0), p0, limits.threadCapacity(cpuLimit),
                        cpuLimit, p, c, limited ? f(", still short: %d threads per pod needed, cut to %d",
                                need(totals, p), limits.threadCapacity(c)) : "");
            }
            last = add(steps, last, ScalingLevel.THREADS,
                    new PodLayout(pods0, cpu0, fit(perPod(totals, pods0), limits.threadCapacity(cpu0))));
            if (c != cpu0) {
                last = add(steps, last, ScalingLevel.POD_CPU,
                        new PodLayout(pods0, c, fit(perPod(totals, pods0), limits.threadCapacity(c))));
            }
            if (p != pods0) {
                last = add(steps, last, ScalingLevel.POD_COUNT,
                        new PodLayout(p, c, fit(perPod(totals, p), limits.threadCapacity(c))));
            }
        } else {
            int p = p0;
            for (int q = limits.minPods(); q < p0; q++) {
                if (fits(totals, q, cpu0)) {
                    p = q;
                    break;
                }
            }
            double c = limits.inPlaceCpuResize() ? Math.min(cpu0, limits.cpuFor(need(totals, p))) : cpu0;
            Map<String, Integer> threads = perPod(totals, p);
            message = f("%d threads per pod needed at %d pod(s): %d pod(s) x %.2f cores feed them", need(totals, p),
                    p, p, c);
            if (p != pods0) {
                last = add(steps, last, ScalingLevel.POD_COUNT, new PodLayout(p, cpu0, threads));
            }
            if (c != cpu0) {
                last = add(steps, last, ScalingLevel.POD_CPU, new PodLayout(p, c, threads));
            }
            last = add(steps, last, ScalingLevel.THREADS, new PodLayout(p, c, threads));
        }
        return new ScalingPlan(current, last, steps, limited, message);
    }

    private static PodLayout add(List<PlanStep> steps, PodLayout last, ScalingLevel level, PodLayout next) {
        if (next.equals(last)) {
            return last;
        }
        steps.add(new PlanStep(level, next));
        return next;
    }

    private static Map<String, Integer> perPod(Map<String, Integer> totals, int pods) {
        Map<String, Integer> out = new LinkedHashMap<>();
        totals.forEach((op, t) -> out.put(op, Math.max(1, (t + pods - 1) / pods)));
        return out;
    }

    private static int need(Map<String, Integer> totals, int pods) {
        return perPod(totals, pods).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Most threads any one operator needs in each of {@code pods} pods. */
    private static int widest(Map<String, Integer> totals, int pods) {
        return perPod(totals, pods).values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Whether {@code pods} pods of {@code cpu} cores run the threads, within the per-operator maximum. */
    private boolean fits(Map<String, Integer> totals, int pods, double cpu) {
        return need(totals, pods) <= limits.threadCapacity(cpu) && widest(totals, pods) <= limits.maxThreadsPerOperator();
    }

    /**
     * Cuts threads to the per-operator maximum, then to {@code capacity}, one at a time from the operator with the
     * most (at least 1 each).
     */
    private Map<String, Integer> fit(Map<String, Integer> threads, int capacity) {
        Map<String, Integer> out = new LinkedHashMap<>(threads);
        out.replaceAll((op, t) -> Math.min(t, limits.maxThreadsPerOperator()));
        int sum = out.values().stream().mapToInt(Integer::intValue).sum();
        while (sum > capacity) {
            String largest = null;
            for (Map.Entry<String, Integer> e : out.entrySet()) {
                if (e.getValue() > 1 && (largest == null || e.getValue() > out.get(largest))) {
                    largest = e.getKey();
                }
            }
            if (largest == null) {
                break;
            }
            out.merge(largest, -1, Integer::sum);
            sum--;
        }
        return out;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
