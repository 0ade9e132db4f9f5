package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResourcePlannerTest {

    /** 2 threads per core, in-place resize between 1 and 4 cores in steps of 0.5, 1 to 5 pods. */
    private static final PodLimits RESIZABLE = PodLimits.resizableCpu(2, 1, 4, 0.5, 1, 5);
    /** 2 threads per core, CPU fixed at creation, 1 to 5 pods. */
    private static final PodLimits FIXED = PodLimits.fixedCpu(2, 1, 5);

    private static Map<String, Integer> threads(Object... opAndCount) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < opAndCount.length; i += 2) {
            m.put((String) opAndCount[i], (Integer) opAndCount[i + 1]);
        }
        return m;
    }

    private static List<ScalingLevel> levels(ScalingPlan plan) {
        return plan.steps().stream().map(PlanStep::level).toList();
    }

    @Test
    void shouldOnlyChangeThreadsWhenPodCpuFeedsThem() {
        PodLayout current = new PodLayout(1, 2.0, threads("a", 1, "b", 1)); // feeds 4

        ScalingPlan plan = new ResourcePlanner(RESIZABLE).plan(current, threads("a", 3, "b", 1));

        assertThat(levels(plan)).containsExactly(ScalingLevel.THREADS);
        assertThat(plan.target()).isEqualTo(new PodLayout(1, 2.0, threads("a", 3, "b", 1)));
        assertThat(plan.limited()).isFalse();
    }

    @Test
    void shouldRaiseThreadsThenResizeCpuInPlaceBeforeAddingPods() {
        PodLayout current = new PodLayout(1, 2.0, threads("a", 1, "b", 1));

        // 8 threads need 4 cores, the maximum: no new pod
        ScalingPlan plan = new ResourcePlanner(RESIZABLE).plan(current, threads("a", 7, "b", 1));

        assertThat(levels(plan)).containsExactly(ScalingLevel.THREADS, ScalingLevel.POD_CPU);
        assertThat(plan.steps().get(0).after()).isEqualTo(new PodLayout(1, 2.0, threads("a", 3, "b", 1)));
        assertThat(plan.target()).isEqualTo(new PodLayout(1, 4.0, threads("a", 7, "b", 1)));
    }

    @Test
    void shouldAddPodsWhenCpuWouldExceedMaximum() {
        PodLayout current = new PodLayout(1, 2.0, threads("a", 1, "b", 1));

        // 14 threads would need 7 cores; 2 pods need 6 + 1 = 7 threads each, fed by 3.5 cores
        ScalingPlan plan = new ResourcePlanner(RESIZABLE).plan(current, threads("a", 12, "b", 2));

        assertThat(levels(plan)).containsExactly(ScalingLevel.THREADS, ScalingLevel.POD_CPU,
                ScalingLevel.POD_COUNT);
        // before the new pod exists, the one pod runs what 3.5 cores feed, cut from the largest operator
        assertThat(plan.steps().get(1).after()).isEqualTo(new PodLayout(1, 3.5, threads("a", 5, "b", 2)));
        assertThat(plan.target()).isEqualTo(new PodLayout(2, 3.5, threads("a", 6, "b", 1)));
    }

    @Test
    void shouldAddPodsWhenCpuCannotBeResized() {
        PodLayout current = new PodLayout(1, 2.0, threads("a", 2, "b", 2));

        ScalingPlan plan = new ResourcePlanner(FIXED).plan(current, threads("a", 6, "b", 2));

        assertThat(levels(plan)).containsExactly(ScalingLevel.POD_COUNT);
        assertThat(plan.target()).isEqualTo(new PodLayout(2, 2.0, threads("a", 3, "b", 1)));
    }

    @Test
    void shouldRemovePodsBeforeShrinkingCpuWhenScalingIn() {
        PodLayout current = new PodLayout(2, 3.5, threads("a", 6, "b", 1));

        // one pod of 3.5 cores feeds 4 + 2 threads; then 3 cores are enough
        ScalingPlan plan = new ResourcePlanner(RESIZABLE).plan(current, threads("a", 4, "b", 2));

        assertThat(levels(plan)).containsExactly(ScalingLevel.POD_COUNT, ScalingLevel.POD_CPU);
        assertThat(plan.steps().get(0).after()).isEqualTo(new PodLayout(1, 3.5, threads("a", 4, "b", 2)));
        assertThat(plan.target()).isEqualTo(new PodLayout(1, 3.0, threads("a", 4, "b", 2)));
    }

    @Test
    void shouldShrinkOnlyThreadsWhenCpuIsFixedAndPodsAtMinimum() {
        PodLayout current = new PodLayout(1, 4.0, threads("a", 6, "b", 2));

        ScalingPlan plan = new ResourcePlanner(FIXED).plan(current, threads("a", 2, "b", 1));

        assertThat(levels(plan)).containsExactly(ScalingLevel.THREADS);
        assertThat(plan.target()).isEqualTo(new PodLayout(1, 4.0, threads("a", 2, "b", 1)));
    }

    @Test
    void shouldNotGoBelowMinimumPods() {
        PodLimits atLeastTwo = PodLimits.fixedCpu(2, 2, 5);
        PodLayout current = new PodLayout(4, 2.0, threads("a", 3));

        ScalingPlan plan = new ResourcePlanner(atLeastTwo).plan(current, threads("a", 1));

        assertThat(plan.target().pods()).isEqualTo(2);
    }

    @Test
    void shouldReportLimitedWhenMaximumPodsAtMaximumCpuCannotFeedThreads() {
        PodLimits small = PodLimits.resizableCpu(2, 1, 4, 0.5, 1, 2);
        PodLayout current = new PodLayout(1, 2.0, threads("a", 2, "b", 2));

        ScalingPlan plan = new ResourcePlanner(small).plan(current, threads("a", 40, "b", 4));

        assertThat(plan.limited()).isTrue();
        assertThat(plan.target().pods()).isEqualTo(2);
        assertThat(plan.target().cpuCores()).isEqualTo(4.0);
        assertThat(plan.target().threadsInPod()).isEqualTo(small.threadCapacity(4.0));
        assertThat(plan.message()).contains("short");
    }

    @Test
    void shouldReturnNoStepsWhenLayoutAlreadyFits() {
        PodLayout current = new PodLayout(1, 2.0, threads("a", 3, "b", 1));

        ScalingPlan plan = new ResourcePlanner(RESIZABLE).plan(current, threads("a", 3, "b", 1));

        assertThat(plan.isChange()).isFalse();
        assertThat(plan.target()).isEqualTo(current);
    }

    @Test
    void shouldKeepCurrentTotalOfOperatorsNotInRequirement() {
        PodLayout current = new PodLayout(2, 2.0, threads("a", 1, "b", 2));

        ScalingPlan plan = new ResourcePlanner(FIXED).plan(current, threads("a", 2));

        assertThat(plan.target().totalThreads("b")).isGreaterThanOrEqualTo(4);
    }

    @Test
    void shouldRejectRequirementBelowOneThread() {
        PodLayout current = new PodLayout(1, 2.0, threads("a", 1));

        assertThatThrownBy(() -> new ResourcePlanner(FIXED).plan(current, threads("a", 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Invariants over random limits, layouts and requirements. */
    @Test
    void shouldKeepEveryStepFedByItsCpuAndFollowLevelOrder() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            double tpc = 1 + random.nextInt(4);
            int minPods = 1 + random.nextInt(3);
            int maxPods = minPods + random.nextInt(6);
            double minCpu = 1 + random.nextInt(2);
            double maxCpu = minCpu + random.nextInt(8);
            boolean resizable = random.nextBoolean();
            PodLimits limits = resizable ? PodLimits.resizableCpu(tpc, minCpu, maxCpu, 0.5, minPods, maxPods)
                    : PodLimits.fixedCpu(tpc, minPods, maxPods);
            int ops = 1 + random.nextInt(3);
            double cpu = minCpu + 0.5 * random.nextInt((int) ((maxCpu - minCpu) * 2) + 1);
            int pods = minPods + random.nextInt(maxPods - minPods + 1);
            Map<String, Integer> currentThreads = new LinkedHashMap<>();
            Map<String, Integer> required = new LinkedHashMap<>();
            for (int o = 0; o < ops; o++) {
                currentThreads.put("op" + o, 1 + random.nextInt(Math.max(1, limits.threadCapacity(cpu) / ops)));
                required.put("op" + o, 1 + random.nextInt(40));
            }
            if (limits.threadCapacity(resizable ? minCpu : cpu) < ops) {
                continue; // a pod must run at least one thread per operator
            }
            PodLayout current = new PodLayout(pods, cpu, currentThreads);
            String context = "limits " + limits + ", current " + current + ", required " + required;

            ScalingPlan plan = new ResourcePlanner(limits).plan(current, required);

            boolean grows = need(required, pods) > limits.threadCapacity(cpu);
            List<ScalingLevel> order = grows
                    ? List.of(ScalingLevel.THREADS, ScalingLevel.POD_CPU, ScalingLevel.POD_COUNT)
                    : List.of(ScalingLevel.POD_COUNT, ScalingLevel.POD_CPU, ScalingLevel.THREADS);
            assertThat(levels(plan)).as(context).isSubsetOf(order).doesNotHaveDuplicates()
                    .isSortedAccordingTo((x, y) -> order.indexOf(x) - order.indexOf(y));
            for (PlanStep s : plan.steps()) {
                assertThat(s.after().threadsInPod()).as(context)
                        .isLessThanOrEqualTo(limits.threadCapacity(s.after().cpuCores()));
            }
            PodLayout t = plan.target();
            assertThat(t.pods()).as(context).isBetween(minPods, maxPods);
            if (resizable) {
                assertThat(t.cpuCores()).as(context).isBetween(Math.min(minCpu, cpu), Math.max(maxCpu, cpu));
            } else {
                assertThat(t.cpuCores()).as(context).isEqualTo(cpu);
            }
            if (grows) {
                assertThat(t.pods()).as(context).isGreaterThanOrEqualTo(pods);
                assertThat(t.cpuCores()).as(context).isGreaterThanOrEqualTo(cpu);
                if (resizable && t.pods() > pods) {
                    // pods only once CPU at the current pod count cannot do it
                    assertThat(limits.cpuFor(need(required, pods))).as(context).isGreaterThan(maxCpu);
                }
            } else {
                assertThat(t.pods()).as(context).isLessThanOrEqualTo(pods);
                assertThat(t.cpuCores()).as(context).isLessThanOrEqualTo(cpu);
                if (t.pods() > minPods) {
                    // the fewest pods that the current CPU feeds
                    assertThat(need(required, t.pods() - 1)).as(context)
                            .isGreaterThan(limits.threadCapacity(cpu));
                }
            }
            if (!plan.limited()) {
                required.forEach((op, n) -> assertThat(t.totalThreads(op)).as(context + " " + op)
                        .isGreaterThanOrEqualTo(n));
            }
        }
    }

    /** Threads per pod for {@code totals} spread over {@code pods}: the sum of ceil(total / pods). */
    private static int need(Map<String, Integer> totals, int pods) {
        return totals.values().stream().mapToInt(t -> (t + pods - 1) / pods).sum();
    }
}
