package dev.stretch.operator.scaling;

import dev.stretch.autoscaler.ClusterAutoscaler;
import dev.stretch.autoscaler.ClusterDecision;
import dev.stretch.autoscaler.MetricSample;
import dev.stretch.autoscaler.OperatorSample;
import dev.stretch.autoscaler.PlanStep;
import dev.stretch.autoscaler.PodLayout;
import dev.stretch.autoscaler.ScalingLevel;
import dev.stretch.model.AutoscalingMode;
import dev.stretch.model.Defaults;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.operator.JobObjects;
import dev.stretch.operator.PodCount;
import dev.stretch.operator.customresource.AutoscalingDecision;
import dev.stretch.operator.customresource.AutoscalingStatus;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.status.JobEvent;
import dev.stretch.operator.status.PodObservation;
import dev.stretch.operator.status.PodStatusClient;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The operator's scaling loop for one job, run every {@code metricSource.interval}: <b>collect</b> (a
 * {@link MetricsCollector}), <b>evaluate and decide</b> (the pure {@link ClusterAutoscaler}: threads, then pod CPU
 * in place, then pods), <b>realise</b> ({@link ThreadRealiser}, {@link CpuResizeRealiser}, and the pod count
 * through the StreamJob's scale subresource, which the reconciler turns into the StatefulSet's replicas and the
 * topology ConfigMap). Every decision carries its reason into the status and, when it changes something, an Event.
 *
 * <p>Between decisions it keeps the pods on the layout it decided (mode Auto): a pod recreated or added by the
 * StatefulSet gets the CPU size and the thread counts of the others, so the vertical size survives restarts
 * without being in the pod template (which would roll every pod).
 *
 * <p>Runs on one scheduler thread at a time ({@code synchronized tick}); the reconciler hands it the job and its
 * pods through volatile fields (the latest snapshot wins) and reads its status through {@link #status()}.
 */
final class JobScaler {
    private static final Logger LOG = Logger.getLogger(JobScaler.class);
    private static final int HISTORY = 10;
    private static final java.util.Set<String> ACTIONS = java.util.Set.of("AddThreads", "RemoveThreads", "RaisePodCpu",
            "LowerPodCpu", "AddPods", "RemovePods");

    private final KubernetesClient client;
    private final Clock clock;
    private final MetricsCollector collector;
    private final ThreadRealiser threads;
    private final CpuResizeRealiser cpu;
    private final ClusterAutoscaler policy;
    private final AutoscalingMode mode;
    private final Consumer<JobEvent> events;
    private final ScalerMetrics metrics;
    private final double createdCpu;
    private final PodStatusClient statuses;

    private volatile StreamJob job;
    private volatile List<Pod> pods = List.of();

    private AutoscalingStatus status = new AutoscalingStatus();
    /** The layout last realised: thread counts per pod and CPU per pod that every pod should have. */
    private Map<String, Integer> desiredThreads;
    private Double podCpu;
    private boolean metricsDown;
    private boolean limitedReported;
    /** The manual holds seen at the last tick (pod -> description), to report each new one once. */
    private Map<String, String> holdsSeen = Map.of();
    /** The scrape time of the last collection (Prometheus), or null. */
    private Instant lastSampledAt;

    JobScaler(StreamJob job, KubernetesClient client, Clock clock, MetricsCollector collector, ThreadRealiser threads,
            CpuResizeRealiser cpu, Consumer<JobEvent> events, ScalerMetrics metrics, Double podCpuFromStatus,
            PodStatusClient statuses) {
        this.job = job;
        this.statuses = statuses;
        this.client = client;
        this.clock = clock;
        this.collector = collector;
        this.threads = threads;
        this.cpu = cpu;
        this.events = events;
        this.metrics = metrics;
        StreamJobSpec spec = job.getSpec();
        this.mode = ScalingSettings.mode(spec);
        this.createdCpu = createdCpu(spec);
        this.policy = new ClusterAutoscaler(ScalingSettings.threads(spec), ScalingSettings.limits(spec, createdCpu),
                ScalingSettings.cluster(spec), clock);
        this.podCpu = podCpuFromStatus;
        status.setMode(mode.wireName());
        status.setMetricSource(collector.source());
        status.setPodCpuCores(podCpu);
    }

    /** The latest job and pods, from the reconciler. */
    void update(StreamJob job, List<Pod> pods) {
        this.job = job;
        this.pods = List.copyOf(pods);
    }

    synchronized AutoscalingStatus status() {
        return copy(status);
    }

    synchronized void tick() {
        long start = System.nanoTime();
        try {
            evaluate();
        } catch (RuntimeException e) {
            LOG.warnf(e, "autoscaler of %s/%s failed", job.getMetadata().getNamespace(), job.getMetadata().getName());
        } finally {
            metrics.evaluated(System.nanoTime() - start);
        }
    }

    private void evaluate() {
        StreamJob j = job;
        StreamJobSpec spec = j.getSpec();
        if (mode == AutoscalingMode.OFF) {
            decided(new AutoscalingDecision(now(), "ScalingDisabled", null, null, false,
                    "spec.autoscaling.mode is Off"));
            return;
        }
        int desiredPods = PodCount.desired(spec);
        List<Pod> all = pods;
        List<Pod> ready = all.stream().filter(JobScaler::ready)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        if (desiredPods == 0) {
            decided(new AutoscalingDecision(now(), "Hold", null, null, false, "the job has no pods (suspended or "
                    + "scaled to zero)"));
            return;
        }
        boolean reconfiguring = ready.size() != desiredPods || all.size() != desiredPods;
        List<PodObservation> observed = ready.stream().map(PodObservation::of).toList();
        CollectedMetrics m = collector.collect(j.getMetadata().getNamespace(), j.getMetadata().getName(), observed);
        if (!m.available()) {
            metrics.collectionFailed(collector.source());
            policy.observe(new MetricSample(clock.instant(), List.of(), true));
            status.setMetricsUnavailable(m.unavailable());
            if (!metricsDown) {
                metricsDown = true;
                events.accept(JobEvent.warning("MetricsUnavailable", "no scaling decision while metrics are "
                        + "unavailable (" + collector.source() + "): " + m.unavailable()));
            }
            decided(new AutoscalingDecision(now(), "MetricsUnavailable", null, null, false, m.unavailable()
                    + "; holding (no decision, never a scale-down)"));
            return;
        }
        metricsDown = false;
        status.setMetricsUnavailable(null);
        Map<String, String> holds = holds(observed);
        if (all.size() > desiredPods || ready.size() < desiredPods) {
            // a pod-count change in flight: leaving pods still drain (they own nothing after the handover time but
            // still show their threads and load) or new ones are not ready yet. A sample now mixes two layouts, and
            // a decision on it flaps: the leaving pod's threads counted against the smaller count read as "more
            // pods needed". Decide again once the StatefulSet has exactly the pods wanted, all ready.
            policy.observe(new MetricSample(clock.instant(), List.of(), true));
            status.setPods(ready.size());
            decided(new AutoscalingDecision(now(), "Hold", null, null, false, all.size() > desiredPods
                    ? String.format(Locale.ROOT, "scale-in to %d pod(s) hands over: %d pod(s) still run, the "
                            + "leaving ones draining their windows; no decision until they are gone", desiredPods,
                            all.size())
                    : String.format(Locale.ROOT, "%d of %d pod(s) ready; no decision until all are", ready.size(),
                            desiredPods)));
            return;
        }
        if (!holds.isEmpty() && holds.size() >= ready.size()) {
            // C2: every pod holds its threads by hand: nothing for the loop to decide
            policy.observe(new MetricSample(clock.instant(), List.of(), true));
            metrics.decided("Held", false);
            decided(new AutoscalingDecision(now(), "Held", null, null, false, "manual hold: "
                    + String.join("; ", holds.values()) + "; no thread decision for the held pod(s) until then"));
            return;
        }

        // job-wide sample per keyed operator: threads and rates summed over pods, busy ratio and the back-pressure
        // it puts on its writers averaged by thread
        InputBackpressure writers = InputBackpressure.of(spec);
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, Integer> threadsPerPod = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> byPod = new HashMap<>();
        for (PodMetrics p : m.operators()) {
            if (holds.containsKey(p.pod())) {
                continue; // C2: a held pod's threads are the user's; the loop sizes the other pods
            }
            double[] s = sums.computeIfAbsent(p.operator(), k -> new double[7]);
            s[0] += p.threads();
            s[1] += p.arrivingRate();
            s[2] += p.processedRate();
            s[3] += p.busyRatio() * p.threads();
            s[4] += p.backlog();
            s[5] = Math.max(s[5], p.eventTimeLagMillis());
            s[6] += writers.of(p.operator(), m.backpressure().getOrDefault(p.pod(), Map.of())) * p.threads();
            threadsPerPod.merge(p.operator(), p.threads(), Math::max);
            byPod.computeIfAbsent(p.pod(), k -> new HashMap<>()).put(p.operator(), p.threads());
        }
        // the pods the loop sizes: all but the held ones (C2)
        int heldPods = (int) ready.stream().filter(p -> holds.containsKey(p.getMetadata().getName())).count();
        int podCount = Math.max(1, desiredPods - heldPods);
        // a pod not (yet) at the decided thread counts (just started, or being set) is a change in flight: the
        // sample would mix layouts, so decisions wait for it
        Map<String, Integer> wanted = desiredThreads;
        if (wanted != null && byPod.entrySet().stream()
                .anyMatch(e -> !holds.containsKey(e.getKey()) && !e.getValue().equals(wanted))) {
            reconfiguring = true;
        }
        List<OperatorSample> samples = new ArrayList<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            int total = (int) s[0];
            // the fewest threads of the smallest layout (minimum pods), not of the current one: with the current
            // count, a job on two pods at one thread each could never come down to one pod
            int min = Defaults.threadsMin(spec) * Math.max(1, Defaults.podsMin(spec) - heldPods);
            int max = Math.max(min, Defaults.threadsMax(spec) * Math.max(podCount, Defaults.podsMax(spec)
                    - heldPods));
            samples.add(new OperatorSample(e.getKey(), total, Math.max(1, Math.min(min, total)), max, s[1], s[2],
                    total > 0 ? s[3] / total : Double.NaN, s[4], s[5], total > 0 ? s[6] / total : 0));
        }
        // Prometheus: the time of the scrape the sample stands for, so the window holds each scrape interval once
        // (a collection without a newer scrape adds nothing: the window would count that interval twice)
        Instant sampledAt = m.sampledAt() != null && !m.sampledAt().isAfter(clock.instant()) ? m.sampledAt()
                : clock.instant();
        if (m.sampledAt() == null || !m.sampledAt().equals(lastSampledAt)) {
            policy.observe(new MetricSample(sampledAt, samples, reconfiguring));
        }
        lastSampledAt = m.sampledAt();
        if (threadsPerPod.isEmpty()) {
            decided(new AutoscalingDecision(now(), "Hold", null, null, false, "the job has no keyed operator "
                    + "whose threads can change"));
            return;
        }
        double cores = podCpu != null ? podCpu : createdCpu;
        status.setThreads(threadsPerPod);
        status.setPods(ready.size());
        if (mode == AutoscalingMode.AUTO && ready.size() == desiredPods) {
            enforce(ready.stream().filter(p -> !holds.containsKey(p.getMetadata().getName())).toList(), byPod);
        }
        PodLayout layout = new PodLayout(podCount, cores, threadsPerPod);
        ClusterDecision d = policy.evaluate(layout, heldPods);
        PodLayout target = d.plan().target();
        status.setRecommendedPods(target.pods());
        status.setRecommendedPodCpuCores(target.cpuCores());
        status.setRecommendedThreads(new LinkedHashMap<>(target.threadsPerPod()));
        if (d.limited() && !limitedReported) {
            limitedReported = true;
            events.accept(JobEvent.warning("ScalingLimited", "even the largest layout allowed cannot carry the load: "
                    + d.plan().message()));
        } else if (!d.limited()) {
            limitedReported = false;
        }
        PlanStep step = d.step();
        String change = step == null ? null : describe(layout) + " -> " + describe(step.after());
        String level = step == null ? null : step.level().code();
        String held = String.join("; ", holds.values());
        if (!holds.isEmpty() && step != null && step.level() != ScalingLevel.THREADS) {
            // C2: a manual PUT /v1/parallelism holds that pod's threads. Thread steps of the other pods go on
            // (the layout above leaves the held pods out); a CPU step would resize the held pod too, and a
            // pod-count step re-divides its splits or partitions (and could remove it): both wait for the hold
            metrics.decided("Held", false);
            decided(new AutoscalingDecision(now(), "Held", level, change, false, "manual hold: " + held
                    + "; CPU and pod-count steps wait until it ends; without the hold: " + d.reason().code() + " "
                    + change + "; " + d.message()));
            return;
        }
        String heldNote = holds.isEmpty() ? "" : "; left alone (manual hold): " + held;
        metrics.decided(d.reason().code(), d.apply());
        if (!d.apply()) {
            AutoscalingDecision a = new AutoscalingDecision(now(), d.reason().code(), level, change, false,
                    d.message() + heldNote);
            if (decided(a) && step != null) {
                events.accept(JobEvent.normal("ScalingReport", "recommended (" + d.reason().code() + ", mode "
                        + mode.wireName() + "): " + change + "; " + d.message()));
            }
            return;
        }
        String failure = realise(step, layout, ready.stream()
                .filter(p -> !holds.containsKey(p.getMetadata().getName())).toList());
        if (failure == null) {
            policy.stepApplied(step);
            decided(new AutoscalingDecision(now(), d.reason().code(), level, change, true, d.message() + heldNote));
            events.accept(JobEvent.normal("ScalingReport", d.reason().code() + ": " + change + "; " + d.message()
                    + heldNote));
            LOG.infof("%s/%s: %s %s", j.getMetadata().getNamespace(), j.getMetadata().getName(), d.reason().code(),
                    change);
        } else {
            decided(new AutoscalingDecision(now(), step.level() == ScalingLevel.POD_CPU ? "CpuResizeRefused"
                    : "ScalingFailed", level, change, false, failure));
        }
    }

    /**
     * The manual holds of the ready pods' keyed operators, from their {@code GET /v1/status} ({@code heldUntil}):
     * pod -> what is held until when. Reports a new hold with an Event, and records the holds in the status. When
     * a hold ends, the thread counts the pod runs become the starting point (as the in-process autoscaler resumes
     * from a held count): the layout decided before the hold is no longer enforced.
     */
    private Map<String, String> holds(List<PodObservation> observed) {
        Map<String, String> holds = new java.util.TreeMap<>();
        Instant now = clock.instant();
        for (PodObservation p : statuses.query(observed)) {
            if (p.report() == null || p.report().operators() == null) {
                continue;
            }
            List<String> ops = new ArrayList<>();
            for (dev.stretch.operator.status.RuntimeReport.Operator o : p.report().operators()) {
                if (o.heldUntil() == null || !"window".equals(o.kind())) {
                    continue;
                }
                try {
                    Instant until = Instant.parse(o.heldUntil());
                    if (until.isAfter(now)) {
                        ops.add(o.name() + " at " + o.instances() + " thread(s) until " + until);
                    }
                } catch (java.time.format.DateTimeParseException unreadable) {
                    ops.add(o.name() + " at " + o.instances() + " thread(s) (hold until '" + o.heldUntil() + "')");
                }
            }
            if (!ops.isEmpty()) {
                holds.put(p.name(), "pod " + p.name() + " holds " + String.join(", ", ops)
                        + " (manual PUT /v1/parallelism)");
            }
        }
        for (Map.Entry<String, String> h : holds.entrySet()) {
            if (!h.getValue().equals(holdsSeen.get(h.getKey()))) {
                events.accept(JobEvent.normal("ScalingHeld", h.getValue() + ": the autoscaler makes no thread "
                        + "decision for this pod until then"));
            }
        }
        if (holdsSeen.keySet().stream().anyMatch(p -> !holds.containsKey(p)) && holdsSeen.size() >= observed.size()) {
            // every pod was held and one no longer is: decide again from the counts the pods run. (When other pods
            // went on without a hold, the released pod is brought to the threads the loop decided for them.)
            desiredThreads = null;
        }
        holdsSeen = Map.copyOf(holds);
        status.setManualHolds(holds.isEmpty() ? null : new LinkedHashMap<>(holds));
        return holds;
    }

    /** Carries out one step; null when done, else why not. */
    private String realise(PlanStep step, PodLayout before, List<Pod> ready) {
        PodLayout after = step.after();
        List<PodObservation> observed = ready.stream().map(PodObservation::of).toList();
        String token = token();
        switch (step.level()) {
            case THREADS -> {
                String error = threads.apply(observed, after.threadsPerPod(), token);
                if (error == null) {
                    desiredThreads = after.threadsPerPod();
                }
                return error;
            }
            case POD_CPU -> {
                boolean raise = after.cpuCores() > before.cpuCores();
                if (!raise) {
                    String error = threads.apply(observed, after.threadsPerPod(), token);
                    if (error != null) {
                        return error;
                    }
                    desiredThreads = after.threadsPerPod();
                }
                for (Pod p : ready) {
                    String refused = cpu.resize(p, after.cpuCores());
                    if (refused != null) {
                        policy.cpuResizeRefused(refused);
                        status.setCpuResizeUnavailable(refused);
                        events.accept(JobEvent.warning("ScalingLimited", "in-place CPU resize unavailable, adding "
                                + "pods instead from now on: " + refused));
                        return refused;
                    }
                }
                podCpu = after.cpuCores();
                status.setPodCpuCores(podCpu);
                if (raise) {
                    String error = threads.apply(observed, after.threadsPerPod(), token);
                    if (error != null) {
                        return error;
                    }
                    desiredThreads = after.threadsPerPod();
                }
                return null;
            }
            case POD_COUNT -> {
                if (after.pods() > before.pods()) {
                    // the pods there now take the per-pod counts of the new layout; new pods get them on arrival
                    String error = threads.apply(observed, after.threadsPerPod(), token);
                    if (error != null) {
                        return error;
                    }
                }
                desiredThreads = after.threadsPerPod();
                client.resources(StreamJob.class).inNamespace(job.getMetadata().getNamespace())
                        .withName(job.getMetadata().getName()).scale(after.pods());
                return null;
            }
            default -> throw new IllegalStateException("unknown level " + step.level());
        }
    }

    /** Gives pods that lack it (recreated, added) the CPU size and thread counts decided for every pod. */
    private void enforce(List<Pod> ready, Map<String, Map<String, Integer>> threadsByPod) {
        if (podCpu != null && policy.cpuRefusal() == null) {
            for (Pod p : ready) {
                double limit = CpuResizeRealiser.cpuLimit(p);
                if (!Double.isNaN(limit) && Math.abs(limit - podCpu) > 0.0005) {
                    String refused = cpu.resize(p, podCpu);
                    if (refused != null) {
                        LOG.warnf("could not give pod %s its CPU of %.2f cores: %s", p.getMetadata().getName(), podCpu,
                                refused);
                    }
                }
            }
        }
        if (desiredThreads != null) {
            List<PodObservation> off = new ArrayList<>();
            for (Pod p : ready) {
                Map<String, Integer> running = threadsByPod.get(p.getMetadata().getName());
                if (running != null && !running.equals(desiredThreads)) {
                    off.add(PodObservation.of(p));
                }
            }
            if (!off.isEmpty()) {
                String error = threads.apply(off, desiredThreads, token());
                if (error != null) {
                    LOG.warnf("could not give pods their threads %s: %s", desiredThreads, error);
                }
            }
        }
    }

    /** Records a decision; true when it differs from the last one (so the status and an Event should say so). */
    private boolean decided(AutoscalingDecision d) {
        AutoscalingDecision last = status.getLastDecision();
        if (d.sameAs(last) && !Boolean.TRUE.equals(d.getApplied())) {
            return false;
        }
        status.setLastDecision(d);
        // the history keeps changes: carried out, or (mode Recommend) recommended; not the holds and delays between
        boolean change = Boolean.TRUE.equals(d.getApplied()) || (mode == AutoscalingMode.RECOMMEND
                && d.getLevel() != null && ACTIONS.contains(d.getReason()));
        if (change) {
            List<AutoscalingDecision> h = new ArrayList<>(status.getHistory());
            h.add(d);
            while (h.size() > HISTORY) {
                h.remove(0);
            }
            status.setHistory(h);
        }
        return true;
    }

    private String token() {
        Secret s = client.secrets().inNamespace(job.getMetadata().getNamespace()).withName(JobObjects.secret(job))
                .get();
        if (s == null || s.getData() == null || s.getData().get(JobObjects.TOKEN_KEY) == null) {
            return "";
        }
        return new String(Base64.getDecoder().decode(s.getData().get(JobObjects.TOKEN_KEY)), StandardCharsets.UTF_8)
                .trim();
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String describe(PodLayout l) {
        return String.format(Locale.ROOT, "%d pod(s) x %.2f cores, threads per pod %s", l.pods(), l.cpuCores(),
                l.threadsPerPod());
    }

    private static boolean ready(Pod p) {
        return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                && p.getStatus().getPodIP() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The CPU limit the pods are created with (the template's), in cores. */
    static double createdCpu(StreamJobSpec spec) {
        return dev.stretch.operator.dependent.StatefulSetDependent.resources(spec.getResources()).getLimits().get("cpu")
                .getNumericalAmount().doubleValue();
    }

    private static AutoscalingStatus copy(AutoscalingStatus s) {
        AutoscalingStatus c = new AutoscalingStatus();
        c.setMode(s.getMode());
        c.setMetricSource(s.getMetricSource());
        c.setMetricsUnavailable(s.getMetricsUnavailable());
        c.setThreads(s.getThreads() == null ? null : new LinkedHashMap<>(s.getThreads()));
        c.setRecommendedThreads(s.getRecommendedThreads() == null ? null : new LinkedHashMap<>(s.getRecommendedThreads()));
        c.setPodCpuCores(s.getPodCpuCores());
        c.setRecommendedPodCpuCores(s.getRecommendedPodCpuCores());
        c.setPods(s.getPods());
        c.setRecommendedPods(s.getRecommendedPods());
        c.setCpuResizeUnavailable(s.getCpuResizeUnavailable());
        c.setManualHolds(s.getManualHolds() == null ? null : new LinkedHashMap<>(s.getManualHolds()));
        c.setLastDecision(s.getLastDecision());
        c.setHistory(new ArrayList<>(s.getHistory()));
        return c;
    }

    @Override
    public String toString() {
        return "JobScaler[" + Objects.toString(job.getMetadata().getName()) + "]";
    }
}
